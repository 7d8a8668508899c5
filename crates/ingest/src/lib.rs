//! veerkracht-ingest

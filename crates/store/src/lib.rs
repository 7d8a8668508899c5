//! veerkracht-store

//! veerkracht-export

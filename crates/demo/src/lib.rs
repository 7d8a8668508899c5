//! veerkracht-demo

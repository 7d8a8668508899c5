//! veerkracht-dataset

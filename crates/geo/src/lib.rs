//! veerkracht-geo

"""Reading exports, recognising their profile, and mapping them onto canonical fields."""

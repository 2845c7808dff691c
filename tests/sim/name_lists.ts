/**
 * Word lists for synthetic addresses, brokers and remarks. All names are invented; none should match a
 * real brokerage or person.
 * @module
 */

export const STREET_NAMES = [
  "Alder",
  "Birch",
  "Bluebonnet",
  "Briar",
  "Canyon",
  "Cedar Ridge",
  "Chestnut",
  "Cobble",
  "Copper",
  "Cottonwood",
  "Cypress",
  "Dogwood",
  "Eagle",
  "Elm",
  "Fairview",
  "Falcon",
  "Fox Run",
  "Glen",
  "Hawthorn",
  "Hickory",
  "Highland",
  "Holly",
  "Juniper",
  "Lakeshore",
  "Laurel",
  "Linden",
  "Magnolia",
  "Main",
  "Maple",
  "Meadow",
  "Mill",
  "Mockingbird",
  "Oak",
  "Orchard",
  "Park",
  "Pecan",
  "Pine",
  "Prairie",
  "Quail",
  "Redbud",
  "Ridge",
  "River",
  "Sage",
  "Shady",
  "Spruce",
  "Stone",
  "Sumac",
  "Sycamore",
  "Timber",
  "Valley",
  "Walnut",
  "Willow",
  "Windmill",
  "Wren",
];

export const STREET_SUFFIXES = [
  "St",
  "Ave",
  "Dr",
  "Ln",
  "Rd",
  "Ct",
  "Blvd",
  "Way",
  "Pl",
  "Cir",
  "Trl",
  "Pkwy",
];
export const STREET_DIRECTIONS = ["N", "S", "E", "W"];

export const BROKER_STEMS = [
  "Lonestar",
  "Keystone",
  "Harbor",
  "Summit",
  "Prairie Wind",
  "Cornerstone",
  "Blue Door",
  "Northgate",
  "Evergreen",
  "Front Porch",
  "Twin Oaks",
  "Lighthouse",
];
export const BROKER_KINDS = [
  "Realty",
  "Properties",
  "Real Estate Group",
  "Homes",
  "Realty Partners",
  "Brokerage",
];

export const FIRST_NAMES = [
  "Avery",
  "Blake",
  "Casey",
  "Dana",
  "Elliot",
  "Frankie",
  "Harper",
  "Jamie",
  "Jordan",
  "Kendall",
  "Logan",
  "Morgan",
  "Parker",
  "Quinn",
  "Reese",
  "Riley",
  "Rowan",
  "Sawyer",
  "Skyler",
  "Taylor",
];
export const LAST_NAMES = [
  "Abernathy",
  "Bellweather",
  "Castellano",
  "Dunmore",
  "Ellsworth",
  "Fairbanks",
  "Greenleaf",
  "Hollis",
  "Ingram",
  "Kensington",
  "Lockhart",
  "Merriweather",
  "Northcutt",
  "Pemberton",
  "Quintero",
  "Rutherford",
  "Stanhope",
  "Thistlewood",
  "Underhill",
  "Winslow",
];

export const BUILDING_STEMS = [
  "Willow",
  "Meridian",
  "Harbor",
  "Parkside",
  "Ashford",
  "Lumen",
  "Canal",
  "Vista",
];
export const BUILDING_KINDS = ["Lofts", "Residences", "Tower", "Place", "Condominiums", "Flats"];

export const SCHOOL_KINDS = ["Elementary", "Middle", "High"] as const;

export const REMARK_OPENINGS = [
  "Welcome home to this beautifully maintained",
  "Don't miss this move-in ready",
  "Lovingly updated",
  "Sun-filled and spacious",
  "Tucked away on a quiet street, this charming",
  "Priced to sell! This well-kept",
  "Investor alert: solid",
  "Fresh paint and new flooring throughout this",
];
export const REMARK_FEATURES = [
  "an open-concept kitchen with granite counters and a large island",
  "vaulted ceilings and a wood-burning fireplace in the living room",
  "a primary suite with a walk-in closet and double vanity",
  "a fenced backyard with a covered patio, perfect for entertaining",
  "energy-efficient windows and a newer HVAC system",
  "stainless steel appliances and soft-close cabinetry",
  "a two-car garage with built-in storage",
  "hardwood floors, crown molding and plenty of natural light",
  "a flexible bonus room that works as an office or guest space",
  "low HOA dues and a community pool just steps away",
];
export const REMARK_CLOSINGS = [
  "Close to shopping, dining and major highways.",
  "Zoned to highly rated schools.",
  "Schedule your private showing today!",
  "Seller is motivated; bring all offers.",
  "Buyer to verify all information including schools and square footage.",
  "Sold as-is. Cash or conventional financing only.",
];
// Remarks copied from MLS feeds sometimes carry markup; one even closes a script tag, which is why the
// page must escape "<" inside __NEXT_DATA__ (the anatomy's edge-case checklist).
export const REMARK_ODDITIES = [
  "Agent remarks: <b>NO</b> sign on property.</script><script>alert('x')</script>",
  "Caf\u00e9-style breakfast nook \u2014 Smart Home\u00ae ready & wired for fiber.",
  "See attached disclosures <a href='#'>here</a> & call listing agent.",
];

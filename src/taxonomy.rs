//! The stable ids of SPEC §2: data types, hedge categories, disclosures, statuses.
//!
//! These are the contract other programs rely on, so they live in code; the vocabulary
//! that recognises them lives in the rule packs under `rules/`.

use serde::{Deserialize, Serialize};

/// SPEC §2.1, in the order reports list them.
pub const DATA_TYPES: &[&str] = &[
    "name",
    "postal_address",
    "email_address",
    "phone_number",
    "date_of_birth",
    "ssn",
    "drivers_license",
    "passport",
    "tax_id",
    "government_id",
    "financial_account",
    "payment_card",
    "credentials",
    "patient_id",
    "health_insurance",
    "medical_info",
    "biometric",
    "employment_info",
    "education_records",
    "demographics",
];

/// SPEC §2.2.
pub const HEDGES: &[&str] = &[
    "no_evidence_of_misuse",
    "no_evidence_of_access",
    "precautionary",
    "possibility",
    "boilerplate_assurance",
    "sophisticated_attack",
    "inconvenience_framing",
];

/// SPEC §2.3.
pub const DISCLOSURES: &[&str] = &["exfiltration", "ransomware", "threat_actor_claim", "publication"];

/// SPEC §2.5, with their severities.
pub const FLAGS: &[(&str, &str)] = &[
    ("omits-public-dump", "error"),
    ("denies-public-dump", "error"),
    ("reassurance-despite-dump", "error"),
    ("understated-data-types", "error"),
    ("silent-on-publication", "warning"),
    ("reassurance-after-exfiltration", "warning"),
    ("late-notice", "warning"),
    ("vague-data-types", "warning"),
    ("missing-element", "warning"),
];

/// SPEC §2.4 element ids.
pub const ELEMENTS: &[&str] = &[
    "what_happened",
    "breach_date",
    "discovery_date",
    "notice_date",
    "information_involved",
    "entity_actions",
    "individual_steps",
    "contact",
    "credit_monitoring",
    "regulator_resources",
];

/// SPEC §2.4 kinds of `contact`.
pub const CONTACT_KINDS: &[&str] = &["toll_free_phone", "phone", "email", "website", "postal_address"];

/// Categories that are not reported as such but feed flags and elements: `vague_data_types`
/// ("certain personal information"), and `element.<id>` for text that carries an element.
pub fn is_signal(category: &str) -> bool {
    category == "vague_data_types" || category.strip_prefix("element.").is_some_and(|e| ELEMENTS.contains(&e))
}

/// Where a category's findings go in a report: its position in [`DATA_TYPES`], [`HEDGES`]
/// or [`DISCLOSURES`]; for signals, its element's position in [`ELEMENTS`], or
/// `ELEMENTS.len()` for `vague_data_types`. Resolved once when a rule loads, so that
/// analysis files a match without comparing strings.
pub fn slot_of(category: &str) -> Option<usize> {
    let find = |list: &[&str], id: &str| list.iter().position(|c| *c == id);
    match concern_of(category)? {
        Concern::DataType => find(DATA_TYPES, category),
        Concern::Hedge => find(HEDGES, category),
        Concern::Disclosure => find(DISCLOSURES, category),
        Concern::Signal if category == "vague_data_types" => Some(ELEMENTS.len()),
        Concern::Signal => find(ELEMENTS, category.strip_prefix("element.")?),
    }
}

/// What a rule's category says it detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    DataType,
    Hedge,
    Disclosure,
    /// Feeds flags and elements (see [`is_signal`]).
    Signal,
}

/// Which concern a SPEC category id belongs to, if it is one.
pub fn concern_of(category: &str) -> Option<Concern> {
    if DATA_TYPES.contains(&category) {
        Some(Concern::DataType)
    } else if HEDGES.contains(&category) {
        Some(Concern::Hedge)
    } else if DISCLOSURES.contains(&category) {
        Some(Concern::Disclosure)
    } else if is_signal(category) {
        Some(Concern::Signal)
    } else {
        None
    }
}

/// A finding's status (SPEC §2.1, §2.3). Ordered by strength: when several mentions of
/// one thing disagree, the strongest wins (a type involved for some people is involved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Absent,
    Negated,
    Possible,
    Affirmed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Absent => "absent",
            Status::Negated => "negated",
            Status::Possible => "possible",
            Status::Affirmed => "affirmed",
        }
    }

    /// Affirmed or possible: the notice says it is (or may be) involved.
    pub fn is_involved(self) -> bool {
        matches!(self, Status::Affirmed | Status::Possible)
    }
}

//! The things partners share: organisations, users, plans and what hangs under a plan.

use serde::{Deserialize, Serialize};

use crate::Error;

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal / $en:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored (Dutch) word.
            pub fn word(self) -> &'static str { match self { $($name::$variant => $word),+ } }
            /// The English label.
            pub fn en(self) -> &'static str { match self { $($name::$variant => $en),+ } }
            /// Reads the stored word; the error lists the allowed words.
            pub fn parse(field: &str, s: &str) -> Result<$name, Error> {
                match s.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err(Error::Invalid {
                        field: field.to_string(),
                        message: format!(
                            "'{}' is not one of: {}",
                            crate::model::clip(other, 40),
                            [$($word),+].join(", ")
                        ),
                    }),
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.word()) }
        }
    };
}

word_enum!(
    /// What kind of organisation a partner is.
    OrgKind {
        Corporatie = "corporatie" / "housing corporation",
        Gemeente = "gemeente" / "municipality",
        Zorg = "zorg" / "care provider",
        Politie = "politie" / "police",
        Huurdersorganisatie = "huurdersorganisatie" / "tenants' organisation",
        Overig = "overig" / "other",
    }
);

word_enum!(
    /// A user's role within their organisation.
    Role {
        Beheerder = "beheerder" / "administrator",
        Analist = "analist" / "analyst",
        Lezer = "lezer" / "reader",
    }
);

word_enum!(
    /// Where a plan stands.
    PlanStatus {
        Concept = "concept" / "draft",
        Actief = "actief" / "active",
        Afgerond = "afgerond" / "completed",
    }
);

word_enum!(
    /// The kind of a measure (the research's remedies).
    MeasureKind {
        Fysiek = "fysiek" / "physical",
        Sociaal = "sociaal" / "social",
        Toewijzing = "toewijzing" / "allocation",
        Zorg = "zorg" / "care",
        Veiligheid = "veiligheid" / "safety",
        Woningvoorraad = "woningvoorraad" / "housing stock",
    }
);

word_enum!(
    /// Where a measure stands.
    MeasureStatus {
        Gepland = "gepland" / "planned",
        Lopend = "lopend" / "running",
        Afgerond = "afgerond" / "completed",
        Gestopt = "gestopt" / "stopped",
    }
);

word_enum!(
    /// An entry in a plan's log: a decision or a comment.
    CommentKind {
        Besluit = "besluit" / "decision",
        Opmerking = "opmerking" / "comment",
    }
);

word_enum!(
    /// What a partner shared into a plan.
    SharedKind {
        Scenario = "scenario" / "scenario run",
        Huurmix = "huurmix" / "rent mix",
    }
);

/// At most `n` characters of `s` (for messages).
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut o: String = s.chars().take(n).collect();
        o.push('…');
        o
    }
}

/// Size limits on every text a user can send.
pub mod limits {
    pub const NAME: usize = 200;
    pub const TITLE: usize = 200;
    pub const TEXT: usize = 20_000;
    pub const USERNAME: usize = 64;
    pub const PASSWORD_MIN: usize = 12;
    pub const PASSWORD_MAX: usize = 1_024;
    pub const SNAPSHOT: usize = 2_000_000;
    pub const PARTNERS: usize = 50;
    /// A measure's budget: 0 to 100 billion euro, in cents.
    pub const BUDGET_CENTS_MAX: i64 = 10_000_000_000_000;
}

/// Checks a text field: trimmed, not empty (unless allowed), within `max` characters, no
/// control characters other than newline and tab.
pub fn text(field: &str, s: &str, max: usize, may_be_empty: bool) -> Result<String, Error> {
    let t = s.trim();
    if t.is_empty() && !may_be_empty {
        return Err(Error::invalid(field, "may not be empty"));
    }
    let n = t.chars().count();
    if n > max {
        return Err(Error::invalid(
            field,
            format!("is {n} characters long; at most {max} are allowed"),
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(t.replace("\r\n", "\n"))
}

/// Checks a date `YYYY-MM-DD` (a real calendar day).
pub fn date(field: &str, s: &str) -> Result<String, Error> {
    let t = s.trim();
    let ok = t.len() == 10
        && t.as_bytes()[4] == b'-'
        && t.as_bytes()[7] == b'-'
        && t[..4]
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2200).contains(&y))
        && t[5..7].parse::<u32>().is_ok()
        && t[8..].parse::<u32>().is_ok();
    if !ok {
        return Err(Error::invalid(
            field,
            format!("'{}' is not a date YYYY-MM-DD", clip(t, 20)),
        ));
    }
    let (y, m, d): (i32, u32, u32) = (
        t[..4].parse().unwrap_or(0),
        t[5..7].parse().unwrap_or(0),
        t[8..].parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if d == 0 || d > days {
        return Err(Error::invalid(field, format!("{t} is not a calendar day")));
    }
    Ok(t.to_string())
}

/// A CBS area code as plans use it (`BU…`, `WK…` or `GM…`, letters and digits only).
pub fn area_code(s: &str) -> Result<String, Error> {
    let t = s.trim().to_ascii_uppercase();
    let ok = (t.starts_with("BU") || t.starts_with("WK") || t.starts_with("GM"))
        && (6..=10).contains(&t.len())
        && t[2..].bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(Error::invalid(
            "gebied",
            format!(
                "'{}' is not a buurt or wijk code such as BU03630001",
                clip(s, 20)
            ),
        ));
    }
    Ok(t)
}

/// A unit of time (Unix milliseconds, UTC) as `2026-11-28 23:59` (UTC).
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // civil from days (H. Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    /// GM codes of the gemeenten it works in.
    pub gemeenten: Vec<String>,
    /// A corporation whose own stock and allocation data this server holds.
    pub own_stock: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub org_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

/// Who is acting: a user with their organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user: User,
    pub org: Organisation,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    pub id: i64,
    pub area_code: String,
    pub area_name: String,
    pub title: String,
    pub status: PlanStatus,
    pub owner: OrgRef,
    pub partners: Vec<OrgRef>,
    pub version: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    #[serde(flatten)]
    pub summary: PlanSummary,
    pub analysis: String,
    /// The frozen index snapshot (JSON) the plan was based on.
    pub snapshot: serde_json::Value,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub goals: Vec<Goal>,
    pub measures: Vec<Measure>,
    pub comments: Vec<Comment>,
    pub shared: Vec<Shared>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    pub id: i64,
    pub indicator: String,
    pub description: String,
    pub baseline: Option<f64>,
    pub baseline_edition: Option<i64>,
    pub target: f64,
    pub target_date: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: i64,
    pub kind: MeasureKind,
    pub title: String,
    pub description: String,
    pub owner: OrgRef,
    pub partners: Vec<OrgRef>,
    pub budget_cents: Option<i64>,
    pub status: MeasureStatus,
    pub start_date: String,
    pub end_date: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub kind: CommentKind,
    pub body: String,
    pub author: String,
    pub org: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    pub id: i64,
    pub kind: SharedKind,
    pub title: String,
    /// The shared aggregate (JSON), already privacy-suppressed by the sharer.
    pub body: serde_json::Value,
    pub org: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user: Option<String>,
    pub org: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

/// A new plan.
#[derive(Debug, Clone, Deserialize)]
pub struct NewPlan {
    pub area_code: String,
    pub area_name: String,
    /// The gemeente the area lies in (checked against the organisation's gemeenten).
    pub gemeente: Option<String>,
    pub title: String,
    pub analysis: String,
    pub snapshot: serde_json::Value,
    pub partners: Vec<i64>,
}

/// Changes to a plan's own fields, against the version the editor saw.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanEdit {
    pub version: i64,
    pub title: Option<String>,
    pub analysis: Option<String>,
    pub status: Option<String>,
    pub partners: Option<Vec<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewGoal {
    pub indicator: String,
    pub description: String,
    pub baseline: Option<f64>,
    pub baseline_edition: Option<i64>,
    pub target: f64,
    pub target_date: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewMeasure {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Default: the acting user's organisation.
    pub owner_org: Option<i64>,
    #[serde(default)]
    pub partners: Vec<i64>,
    pub budget_cents: Option<i64>,
    pub status: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeasureEdit {
    pub version: i64,
    pub status: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub budget_cents: Option<Option<i64>>,
    pub end_date: Option<Option<String>>,
    /// The measure's partner organisations (the plan's owner or partners).
    pub partners: Option<Vec<i64>>,
}

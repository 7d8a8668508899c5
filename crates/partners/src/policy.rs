//! Who may do what: every access rule of the workspace in one place. The repository calls
//! these before every read and write; the web layer only turns their answers into pages.
//!
//! | action | who |
//! |---|---|
//! | see a plan (and its goals, measures, log, shared figures, audit trail) | users of the owner organisation or of a partner organisation |
//! | create a plan | beheerder or analist, for an area in one of their organisation's gemeenten |
//! | edit a plan (title, analysis, status, partners, goals) | beheerder or analist of the owner organisation |
//! | add a measure | beheerder or analist of the owner or of a partner; a partner only with itself as measure owner |
//! | edit a measure | beheerder or analist of the plan owner or of the measure's owner organisation |
//! | write a comment | beheerder or analist of the owner or a partner; a *besluit* (decision) only the owner's |
//! | share an aggregate of own stock or allocation data (rent mix, scenario run) | beheerder or analist of a corporation holding its own stock here, owner or partner of the plan |
//! | see own stock and allocation data (Huurmix, Scenario's) | users of the corporation holding that stock |
//! | manage users of an organisation | its beheerders |
//! | edit or delete audit entries | nobody (the database refuses it) |
//!
//! A plan a user may not see answers "not found" rather than "forbidden", so its existence
//! does not leak.

use crate::model::{Actor, CommentKind, OrgKind, Role};

/// The facts about a plan that access depends on.
#[derive(Debug, Clone)]
pub struct PlanAccess {
    pub owner_org: i64,
    pub partner_orgs: Vec<i64>,
}

fn contributor(a: &Actor) -> bool {
    matches!(a.user.role, Role::Beheerder | Role::Analist)
}

fn is_owner(a: &Actor, p: &PlanAccess) -> bool {
    a.org.id == p.owner_org
}

fn is_partner(a: &Actor, p: &PlanAccess) -> bool {
    p.partner_orgs.contains(&a.org.id)
}

pub fn can_view_plan(a: &Actor, p: &PlanAccess) -> bool {
    is_owner(a, p) || is_partner(a, p)
}

/// `gemeente`: the GM code the area lies in, when known.
pub fn can_create_plan(a: &Actor, gemeente: Option<&str>) -> bool {
    contributor(a)
        && gemeente.is_some_and(|g| a.org.gemeenten.iter().any(|x| x.eq_ignore_ascii_case(g)))
}

pub fn can_edit_plan(a: &Actor, p: &PlanAccess) -> bool {
    contributor(a) && is_owner(a, p)
}

/// `measure_owner`: the organisation the new measure is to belong to.
pub fn can_add_measure(a: &Actor, p: &PlanAccess, measure_owner: i64) -> bool {
    contributor(a)
        && (is_owner(a, p)
            && (measure_owner == a.org.id || p.partner_orgs.contains(&measure_owner))
            || is_partner(a, p) && measure_owner == a.org.id)
}

pub fn can_edit_measure(a: &Actor, p: &PlanAccess, measure_owner: i64) -> bool {
    contributor(a) && (is_owner(a, p) || (is_partner(a, p) && measure_owner == a.org.id))
}

pub fn can_comment(a: &Actor, p: &PlanAccess, kind: CommentKind) -> bool {
    contributor(a)
        && match kind {
            CommentKind::Besluit => is_owner(a, p),
            CommentKind::Opmerking => can_view_plan(a, p),
        }
}

/// Whether the user's organisation is the corporation whose stock this server holds.
pub fn can_view_stock(a: &Actor) -> bool {
    a.org.kind == OrgKind::Corporatie && a.org.own_stock
}

pub fn can_share_aggregate(a: &Actor, p: &PlanAccess) -> bool {
    contributor(a) && can_view_stock(a) && can_view_plan(a, p)
}

pub fn can_manage_users(a: &Actor, org_id: i64) -> bool {
    a.user.role == Role::Beheerder && a.org.id == org_id
}

//! Shared-space layers ("Privé", "Gedeeld met n onzelfstandige woonruimten" /
//! "Gedeeld met n adressen") as the peer nests them.

#[allow(unused_imports)]
use super::*;

pub(crate) fn ensure(g: &mut Groep, parent: Option<&LineId>, seg: &str, naam: &str) -> LineId {
    let id = match parent {
        Some(p) => g.child_id(p, seg),
        None => g.root_id(seg),
    };
    if !g.has(&id) {
        match parent {
            Some(p) => g.add_under(p, seg, naam),
            None => g.add(seg, naam),
        };
    }
    id
}

/// The line under which a space shared with `adressen` addresses and `onz` rooms hangs.
pub(crate) fn gedeeld_met_laag(
    g: &mut Groep,
    parent: Option<&LineId>,
    adressen: u32,
    onz: u32,
) -> LineId {
    let mut cur: Option<LineId> = parent.cloned();
    if onz > 1 {
        cur = Some(ensure(
            g,
            cur.as_ref(),
            &format!("gedeeld_met_{onz}_onzelfstandige_woonruimten"),
            &format!("Gedeeld met {onz} onzelfstandige woonruimten"),
        ));
    }
    if adressen > 1 {
        return ensure(
            g,
            cur.as_ref(),
            &format!("gedeeld_met_{adressen}_adressen"),
            &format!("Gedeeld met {adressen} adressen"),
        );
    }
    if onz > 1 {
        return cur.expect("set");
    }
    ensure(g, cur.as_ref(), "prive", "Privé")
}

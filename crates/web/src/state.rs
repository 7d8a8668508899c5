//! What the server holds: the dataset, the index definition and cached engine results (computed
//! on first use per edition and level; the dataset never changes while serving), the voorraad
//! with its rent mix, the privacy rule, the limits for heavy work and the multi-user
//! configuration.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;

use veerkracht_dataset::AreaCode;
use veerkracht_dataset::Dataset;
use veerkracht_dataset::Edition;
use veerkracht_dataset::Level;
use veerkracht_index::Definition;
use veerkracht_index::IndexResult;
use veerkracht_index::SignalResult;
use veerkracht_index::Uncertainty;
use veerkracht_index::compare::Comparison;
use veerkracht_index::peers::Peer;
use veerkracht_index::uncertainty::Options;

/// Monte Carlo runs behind the uncertainty band on the buurt profile.
pub const PROFILE_RUNS: usize = 200;

pub(crate) type Key = (Edition, Level);

/// The 10 most similar areas of every area.
pub(crate) type PeerGroups = HashMap<AreaCode, Vec<Peer>>;

/// Shared server state.
pub struct AppState {
    pub ds: Dataset,
    /// Where the data come from, as shown in every page footer.
    pub origin: String,
    /// Whether the data are the synthetic demo region (labelled on every page).
    pub synthetic: bool,
    pub def: Definition,
    index: Mutex<HashMap<Key, Arc<(IndexResult, Uncertainty)>>>,
    peers: Mutex<HashMap<Key, Arc<PeerGroups>>>,
    compare: Mutex<HashMap<Edition, Arc<Comparison>>>,
    signal: Mutex<HashMap<(Edition, Edition, Level), Arc<SignalResult>>>,
    /// The corporation's stock (flat portfolio form) for the rent mix, when given.
    pub stock: Option<veerkracht_huurmix::Voorraad>,
    mix: std::sync::OnceLock<Arc<veerkracht_huurmix::Mix>>,
    /// The partner workspace (`serve --multi-user`); None: a single analyst, no accounts.
    pub partners: Option<crate::multi_user::Partners>,
    published: std::sync::OnceLock<Arc<veerkracht_huurmix::PublishedMix>>,
    /// The suppression rule for every figure from dwelling- or household-level data (the
    /// rent mix, the simulation): minimum cell size k (default 10).
    pub privacy: veerkracht_privacy::Options,
    /// Heavy requests (simulations): budget, per-client and server-wide limits.
    pub heavy: Arc<crate::heavy::Heavy>,
    /// The gemeente the pages open on (`serve --gemeente`); a page's `gemeente=` overrides it.
    pub focus: Option<AreaCode>,
    gemeenten: std::sync::OnceLock<Arc<Vec<(AreaCode, String)>>>,
    /// Policy variants of the WWS compared with today's rules on the stock, newest last (at
    /// most [`VARIANTS_KEPT`]), by the variant's text.
    variants: Mutex<Vec<(String, Arc<PolicyVariant>)>>,
}

/// How many compared policy variants the server keeps (the shipped ones and pasted ones).
pub const VARIANTS_KEPT: usize = 16;

/// A policy variant of the WWS and its effect on the served stock, as it may be published.
pub struct PolicyVariant {
    /// the variant as read
    pub variant: veerkracht_wws::variant::Variant,
    /// its effect per buurt, suppressed (pinned to the published rent mix)
    pub published: veerkracht_huurmix::variant::PublishedVergelijking,
}

impl AppState {
    pub fn new(ds: Dataset, origin: impl Into<String>, synthetic: bool, def: Definition) -> Self {
        AppState {
            ds,
            origin: origin.into(),
            synthetic,
            def,
            index: Mutex::default(),
            peers: Mutex::default(),
            compare: Mutex::default(),
            signal: Mutex::default(),
            stock: None,
            mix: std::sync::OnceLock::new(),
            partners: None,
            published: std::sync::OnceLock::new(),
            privacy: veerkracht_privacy::Options::default(),
            heavy: Arc::new(crate::heavy::Heavy::new(crate::heavy::Limits::default())),
            focus: None,
            gemeenten: std::sync::OnceLock::new(),
            variants: Mutex::default(),
        }
    }

    /// With other limits on heavy requests (budget, per client, server-wide); refused outside
    /// their ranges.
    pub fn with_limits(mut self, limits: crate::heavy::Limits) -> Result<Self, String> {
        limits.check()?;
        self.heavy = Arc::new(crate::heavy::Heavy::new(limits));
        Ok(self)
    }

    /// With another suppression rule (default: k = 10); k < 2 is refused.
    pub fn with_privacy(mut self, opts: veerkracht_privacy::Options) -> Result<Self, String> {
        veerkracht_privacy::Options::with_k(opts.k)?;
        self.privacy = opts;
        self.published = std::sync::OnceLock::new();
        Ok(self)
    }

    /// With a corporation stock for the *Huurmix* page.
    pub fn with_stock(mut self, stock: veerkracht_huurmix::Voorraad) -> Self {
        self.stock = Some(stock);
        self
    }

    /// In multi-user mode: with the partner workspace (login required everywhere).
    pub fn with_partners(mut self, p: crate::multi_user::Partners) -> Self {
        self.partners = Some(p);
        self
    }

    /// The rent mix of the stock (valued on first use). Panics without a stock: callers check.
    pub fn rent_mix(&self) -> Arc<veerkracht_huurmix::Mix> {
        self.mix
            .get_or_init(|| {
                Arc::new(veerkracht_huurmix::compute_mix(
                    self.stock.as_ref().expect("a stock is loaded"),
                ))
            })
            .clone()
    }

    /// The rent mix as it may be published (suppressed with [`AppState::privacy`]; computed on
    /// first use). Panics without a stock: callers check.
    pub fn published_mix(&self) -> Arc<veerkracht_huurmix::PublishedMix> {
        self.published
            .get_or_init(|| {
                Arc::new(veerkracht_huurmix::publish(
                    &self.rent_mix(),
                    None,
                    &self.privacy,
                ))
            })
            .clone()
    }

    /// Whether the published rent mix is computed already.
    pub fn published_ready(&self) -> bool {
        self.published.get().is_some()
    }

    /// The dwellings per buurt and segment of the served stock as its rent mix publishes them,
    /// which pin the simulation's counts of the same stock (so that the two publications
    /// cannot be differenced); None without a stock.
    pub fn segment_pins(&self) -> Option<veerkracht_huurmix::SegmentPins> {
        self.stock
            .as_ref()
            .map(|_| veerkracht_huurmix::segment_pins(&self.rent_mix(), &self.published_mix()))
    }

    /// A policy variant (TOML `text`, named `file` in errors) compared with today's rules on
    /// the served stock and suppressed, kept for later requests of the same text. Err: the
    /// variant's error (file, line, key) or "no stock". Blocking: call off the async threads.
    pub fn policy_variant(&self, file: &str, text: &str) -> Result<Arc<PolicyVariant>, String> {
        let Some(stock) = self.stock.as_ref() else {
            return Err("no stock loaded (serve --stock FILE)".into());
        };
        let key = format!("{file}\n{text}");
        if let Ok(v) = self.variants.lock()
            && let Some((_, p)) = v.iter().find(|(k, _)| *k == key)
        {
            return Ok(p.clone());
        }
        let variant =
            veerkracht_wws::variant::Variant::parse(file, text).map_err(|e| e.to_string())?;
        let opts = veerkracht_wws::Options::default();
        let c = veerkracht_huurmix::variant::vergelijk(
            &stock.units,
            &opts,
            std::slice::from_ref(&variant),
        )
        .map_err(|e| e.to_string())?;
        let published = veerkracht_huurmix::variant::publish(
            &c,
            &self.rent_mix(),
            &self.published_mix(),
            &self.privacy,
        );
        let p = Arc::new(PolicyVariant { variant, published });
        if let Ok(mut v) = self.variants.lock() {
            v.retain(|(k, _)| *k != key);
            if v.len() >= VARIANTS_KEPT {
                v.remove(0);
            }
            v.push((key, p.clone()));
        }
        Ok(p)
    }

    /// Opens the pages on a gemeente (a name as CBS writes it, or a GMxxxx code).
    pub fn with_focus(mut self, gemeente: &str) -> Result<Self, String> {
        self.focus = Some(self.resolve_gemeente(gemeente)?);
        Ok(self)
    }

    /// Every gemeente of the workspace (code, newest name), by name: the areas of level
    /// gemeente, and the gemeenten of wijk and buurt codes that have none.
    pub fn gemeenten(&self) -> Arc<Vec<(AreaCode, String)>> {
        self.gemeenten
            .get_or_init(|| {
                let mut names: HashMap<AreaCode, String> = HashMap::new();
                for e in self.ds.editions() {
                    for a in self.ds.areas(e, Level::Gemeente) {
                        names.insert(a.code, a.name.clone());
                    }
                }
                for e in self.ds.editions() {
                    for lvl in [Level::Wijk, Level::Buurt] {
                        for a in self.ds.areas(e, lvl) {
                            if let Some(g) = a.code.gemeente() {
                                names.entry(g).or_insert_with(|| g.to_string());
                            }
                        }
                    }
                }
                let mut v: Vec<(AreaCode, String)> = names.into_iter().collect();
                v.sort_by(|a, b| {
                    a.1.to_lowercase()
                        .cmp(&b.1.to_lowercase())
                        .then(a.0.cmp(&b.0))
                });
                Arc::new(v)
            })
            .clone()
    }

    /// A gemeente from what a user typed: a code (`GM0344`, `gm344`), a name in any case
    /// (`utrecht`), or a choice of the list (`Utrecht (GM0344)`). Unknown: an error that
    /// names the closest names.
    pub fn resolve_gemeente(&self, text: &str) -> Result<AreaCode, String> {
        let t = text.trim();
        let list = self.gemeenten();
        let code_part = code_of_choice(t);
        // "gm344", "0344", "344": a gemeente code with its zeros left out
        let digits = code_part
            .strip_prefix("GM")
            .or_else(|| code_part.strip_prefix("gm"))
            .or_else(|| code_part.strip_prefix("Gm"))
            .unwrap_or(code_part);
        let padded =
            (!digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| format!("GM{digits:0>4}"));
        if let Ok(c) = AreaCode::parse(padded.as_deref().unwrap_or(code_part))
            && c.level() == Level::Gemeente
        {
            return list
                .iter()
                .find(|g| g.0 == c)
                .map(|g| g.0)
                .ok_or_else(|| format!("gemeente {c} is not in this workspace"));
        }
        let lower = t.to_lowercase();
        let hits: Vec<&(AreaCode, String)> = list
            .iter()
            .filter(|g| g.1.to_lowercase() == lower)
            .collect();
        if let [one] = hits[..] {
            return Ok(one.0);
        }
        let mut near: Vec<&str> = list
            .iter()
            .filter(|g| {
                let n = g.1.to_lowercase();
                !lower.is_empty() && (n.contains(&lower) || lower.contains(&n))
            })
            .map(|g| g.1.as_str())
            .take(5)
            .collect();
        if near.is_empty() {
            near = list.iter().take(3).map(|g| g.1.as_str()).collect();
        }
        Err(format!(
            "gemeente '{t}' is not in this workspace; did you mean: {}",
            near.join(", ")
        ))
    }

    /// Editions that have areas at `level`, oldest first.
    pub fn editions(&self, level: Level) -> Vec<Edition> {
        self.ds
            .editions()
            .into_iter()
            .filter(|e| !self.ds.areas(*e, level).is_empty())
            .collect()
    }

    /// The latest edition with areas at `level`.
    pub fn latest(&self, level: Level) -> Option<Edition> {
        self.editions(level).last().copied()
    }

    /// The index and its uncertainty band (seeded, `PROFILE_RUNS` runs) for an edition and level.
    pub fn index(&self, edition: Edition, level: Level) -> Arc<(IndexResult, Uncertainty)> {
        if let Some(r) = self.index.lock().expect("cache").get(&(edition, level)) {
            return r.clone();
        }
        let o = Options {
            runs: PROFILE_RUNS,
            sobol_n: 0,
            seed: 1,
            ..Options::default()
        };
        let r = Arc::new(veerkracht_index::index_with_uncertainty(
            &self.def, &self.ds, edition, level, &o,
        ));
        self.index
            .lock()
            .expect("cache")
            .insert((edition, level), r.clone());
        r
    }

    /// Peer groups ("vergelijkbare buurten", 10 nearest on context).
    pub fn peers(&self, edition: Edition, level: Level) -> Arc<HashMap<AreaCode, Vec<Peer>>> {
        if let Some(r) = self.peers.lock().expect("cache").get(&(edition, level)) {
            return r.clone();
        }
        let r: Arc<HashMap<AreaCode, Vec<Peer>>> = Arc::new(
            veerkracht_index::peers::peer_groups(&self.def, &self.ds, edition, level, 10)
                .into_iter()
                .collect(),
        );
        self.peers
            .lock()
            .expect("cache")
            .insert((edition, level), r.clone());
        r
    }

    /// Corporatiebuurten against the rest (buurt level, the definition's threshold, seed 1).
    pub fn compare(&self, edition: Edition) -> Arc<Comparison> {
        if let Some(r) = self.compare.lock().expect("cache").get(&edition) {
            return r.clone();
        }
        let idx = self.index(edition, Level::Buurt);
        let r = Arc::new(veerkracht_index::compare(
            &self.def,
            &self.ds,
            &idx.0,
            self.def.method.corporatie_threshold,
            1,
        ));
        self.compare
            .lock()
            .expect("cache")
            .insert(edition, r.clone());
        r
    }

    /// The veerkracht signal between two editions.
    pub fn signal(&self, from: Edition, to: Edition, level: Level) -> Arc<SignalResult> {
        if let Some(r) = self.signal.lock().expect("cache").get(&(from, to, level)) {
            return r.clone();
        }
        let r = Arc::new(veerkracht_index::signal(
            &self.def,
            &self.ds,
            from,
            to,
            level,
            self.def.method.signal_dead_band,
        ));
        self.signal
            .lock()
            .expect("cache")
            .insert((from, to, level), r.clone());
        r
    }
}

/// The code in a suggestion's text, "Naam (CODE)", or the text itself (a code or a name).
pub fn code_of_choice(text: &str) -> &str {
    text.rsplit_once('(')
        .and_then(|(_, c)| c.strip_suffix(')'))
        .unwrap_or(text)
        .trim()
}

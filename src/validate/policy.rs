//! Certificate-policy processing for RFC 5280 §6.1, using the RFC 9618 policy graph.
//!
//! This module owns the policy half of path validation: the `valid_policy_graph`
//! and the `explicit_policy`, `inhibit_anyPolicy` and `policy_mapping` state
//! variables. It implements §6.1.2 (a)(d)(e)(f), §6.1.3 (d)(e)(f),
//! §6.1.4 (a)(b)(h)(i)(j) and §6.1.5 (a)(b)(g) as replaced by RFC 9618, and
//! returns the authorities-constrained and user-constrained policy sets.
//!
//! The caller extracts the policy-related extensions of every certificate into
//! [`CertPolicyInfo`]; nothing here parses DER. Policy qualifiers are ignored
//! (RFC 9618 recommends not returning them).
//!
//! The graph has at most one node per (depth, policy OID); a policy that several
//! issuer policies map to becomes one node with several parents, so the size is
//! linear in the size of the extensions instead of exponential. On top of that,
//! every node creation is charged against `max_nodes`, and every edge and
//! expected-policy entry against a work budget of `16 × max_nodes`; exceeding
//! either yields [`PolicyError::GraphTooLarge`].

use std::collections::{BTreeMap, BTreeSet};

use crate::asn1::oid::{known, Oid};

/// Work units (edges plus expected-policy entries) allowed per permitted node.
const WORK_PER_NODE: usize = 16;

/// A generous node limit for callers without a better idea: real paths need a
/// handful of nodes per certificate.
pub const DEFAULT_MAX_POLICY_NODES: usize = 4096;

/// RFC 5280 §6.1.1 (c)(f)(g)(h)(i) inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolicyInputs {
    /// user-initial-policy-set; a set containing anyPolicy means "any policy".
    pub initial_policy_set: Vec<Oid>,
    /// initial-explicit-policy.
    pub initial_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub initial_policy_mapping_inhibit: bool,
    /// initial-any-policy-inhibit.
    pub initial_any_policy_inhibit: bool,
}

impl Default for PolicyInputs {
    /// `{anyPolicy}` with all three booleans false, as PKITS uses by default.
    fn default() -> Self {
        PolicyInputs {
            initial_policy_set: vec![known::ANY_POLICY.clone()],
            initial_explicit_policy: false,
            initial_policy_mapping_inhibit: false,
            initial_any_policy_inhibit: false,
        }
    }
}

/// What one certificate of the path contributes (the path is given WITHOUT the
/// trust anchor, in order: index 0 = certificate issued by the anchor, last =
/// target/end entity).
#[derive(Clone, Copy, Debug)]
pub struct CertPolicyInfo<'a> {
    /// certificatePolicies policy identifiers (`None` = extension absent).
    /// Qualifiers are ignored.
    pub policies: Option<&'a [Oid]>,
    /// policyMappings as (issuerDomainPolicy, subjectDomainPolicy) pairs.
    pub mappings: Option<&'a [(Oid, Oid)]>,
    /// policyConstraints requireExplicitPolicy.
    pub require_explicit_policy: Option<u32>,
    /// policyConstraints inhibitPolicyMapping.
    pub inhibit_policy_mapping: Option<u32>,
    /// inhibitAnyPolicy SkipCerts.
    pub inhibit_any_policy: Option<u32>,
    /// Subject and issuer names match (RFC 5280 "self-issued").
    pub self_issued: bool,
}

/// The result of successful policy processing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyOutcome {
    /// Policy OIDs, deduplicated and sorted by `Oid`'s ordering; a set that
    /// contains anyPolicy is reported as exactly `[anyPolicy]` ("any policy").
    /// Empty when the graph ended NULL.
    pub authorities_constrained_policy_set: Vec<Oid>,
    /// The authorities-constrained set intersected with the user-initial-policy-set
    /// (RFC 9618 §6.1.5 (g)); same conventions.
    pub user_constrained_policy_set: Vec<Oid>,
    /// Final value of the `explicit_policy` state variable.
    pub explicit_policy: u32,
}

/// Why policy processing rejected the path.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    /// §6.1.3 (f) / §6.1.5 (g): explicit policy required and the valid policy graph is empty.
    /// `cert_index` is the index (into the slice) of the certificate at which it became
    /// fatal; for the end check it is the last index.
    #[error(
        "no certificate policy acceptable to the relying party remains valid for the path, and an explicit policy is required (RFC 5280 §6.1.3 (f) / §6.1.5 (g))"
    )]
    NoAcceptablePolicy {
        /// Index into the path slice.
        cert_index: usize,
    },
    /// §6.1.4 (a): a mapping to or from anyPolicy.
    #[error("policyMappings maps a policy to or from anyPolicy (RFC 5280 §6.1.4 (a))")]
    AnyPolicyMapping {
        /// Index into the path slice.
        cert_index: usize,
    },
    /// The graph would exceed `max_nodes` nodes (or the work counter exceeded its bound).
    #[error(
        "certificate policy graph exceeds its limit of {limit} nodes (Limits::max_policy_nodes)"
    )]
    GraphTooLarge {
        /// The `max_nodes` the caller passed.
        limit: usize,
    },
}

/// Runs RFC 5280 §6.1 policy processing (with the RFC 9618 graph) over `path`.
///
/// `path` excludes the trust anchor; index 0 was issued by the anchor and the last
/// element is the target. `max_nodes` bounds the total number of graph nodes ever
/// created (the depth-0 root included); work on edges and expected-policy sets is
/// bounded by `16 × max_nodes`.
pub fn process_policies(
    path: &[CertPolicyInfo<'_>],
    inputs: &PolicyInputs,
    max_nodes: usize,
) -> Result<PolicyOutcome, PolicyError> {
    let any: &Oid = &known::ANY_POLICY;
    let n = path.len();
    let last = n.saturating_sub(1);
    let mut budget = Budget::new(max_nodes);

    // §6.1.2 (a)(d)(e)(f).
    let mut graph = Some(Graph::new(any.clone(), &mut budget)?);
    let n_plus_one = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
    let initial = |inhibit: bool| if inhibit { 0 } else { n_plus_one };
    let mut explicit_policy = initial(inputs.initial_explicit_policy);
    let mut inhibit_any_policy = initial(inputs.initial_any_policy_inhibit);
    let mut policy_mapping = initial(inputs.initial_policy_mapping_inhibit);

    for (index, cert) in path.iter().enumerate() {
        let is_last = index == last;

        // §6.1.3 (d)(e).
        graph = match (graph, cert.policies) {
            (Some(mut g), Some(policies)) => {
                let any_allowed = inhibit_any_policy > 0 || (!is_last && cert.self_issued);
                g.add_certificate_level(policies, any_allowed, &mut budget)?;
                (!g.is_null()).then_some(g)
            }
            _ => None,
        };

        // §6.1.3 (f).
        if explicit_policy == 0 && graph.is_none() {
            return Err(PolicyError::NoAcceptablePolicy { cert_index: index });
        }

        if is_last {
            break;
        }

        // §6.1.4 (a)(b).
        if let Some(mappings) = cert.mappings {
            if mappings.iter().any(|(from, to)| from == any || to == any) {
                return Err(PolicyError::AnyPolicyMapping { cert_index: index });
            }
            if let Some(mut g) = graph.take() {
                g.apply_mappings(mappings, policy_mapping > 0, &mut budget)?;
                graph = (!g.is_null()).then_some(g);
            }
        }

        // §6.1.4 (h).
        if !cert.self_issued {
            explicit_policy = explicit_policy.saturating_sub(1);
            policy_mapping = policy_mapping.saturating_sub(1);
            inhibit_any_policy = inhibit_any_policy.saturating_sub(1);
        }
        // §6.1.4 (i).
        if let Some(r) = cert.require_explicit_policy {
            explicit_policy = explicit_policy.min(r);
        }
        if let Some(m) = cert.inhibit_policy_mapping {
            policy_mapping = policy_mapping.min(m);
        }
        // §6.1.4 (j).
        if let Some(s) = cert.inhibit_any_policy {
            inhibit_any_policy = inhibit_any_policy.min(s);
        }
    }

    // §6.1.5 (a)(b).
    explicit_policy = explicit_policy.saturating_sub(1);
    if path.last().and_then(|c| c.require_explicit_policy) == Some(0) {
        explicit_policy = 0;
    }

    // §6.1.5 (g) as replaced by RFC 9618.
    let authorities = graph
        .as_ref()
        .map(Graph::authority_constrained_policy_set)
        .unwrap_or_default();
    let user: BTreeSet<Oid> = if inputs.initial_policy_set.contains(any) {
        authorities.clone()
    } else {
        let initial: BTreeSet<Oid> = inputs.initial_policy_set.iter().cloned().collect();
        let mut user: BTreeSet<Oid> = authorities.intersection(&initial).cloned().collect();
        if authorities.contains(any) {
            user.extend(initial);
        }
        user
    };

    if explicit_policy == 0 && user.is_empty() {
        return Err(PolicyError::NoAcceptablePolicy { cert_index: last });
    }

    Ok(PolicyOutcome {
        authorities_constrained_policy_set: into_output(authorities, any),
        user_constrained_policy_set: into_output(user, any),
        explicit_policy,
    })
}

/// Renders a policy set: sorted, with any set containing anyPolicy collapsed to `[anyPolicy]`.
fn into_output(set: BTreeSet<Oid>, any: &Oid) -> Vec<Oid> {
    if set.contains(any) {
        vec![any.clone()]
    } else {
        set.into_iter().collect()
    }
}

/// Node and work allowances; running out of either is [`PolicyError::GraphTooLarge`].
struct Budget {
    limit: usize,
    nodes_left: usize,
    work_left: usize,
}

impl Budget {
    fn new(max_nodes: usize) -> Self {
        Budget {
            limit: max_nodes,
            nodes_left: max_nodes,
            work_left: max_nodes.saturating_mul(WORK_PER_NODE),
        }
    }

    fn too_large(&self) -> PolicyError {
        PolicyError::GraphTooLarge { limit: self.limit }
    }

    fn charge_node(&mut self) -> Result<(), PolicyError> {
        self.nodes_left = self
            .nodes_left
            .checked_sub(1)
            .ok_or_else(|| self.too_large())?;
        Ok(())
    }

    fn charge_work(&mut self, units: usize) -> Result<(), PolicyError> {
        self.work_left = self
            .work_left
            .checked_sub(units)
            .ok_or_else(|| self.too_large())?;
        Ok(())
    }
}

/// One node of the `valid_policy_graph` (qualifiers are not kept).
struct Node {
    valid_policy: Oid,
    /// Sorted and deduplicated.
    expected_policy_set: Vec<Oid>,
    /// Indices into the previous level; never contains a deleted node while `self` is alive.
    parents: Vec<usize>,
    /// Number of live nodes at the next level that list `self` as a parent.
    live_children: usize,
    alive: bool,
}

/// All nodes of one depth. Deleted nodes stay in `nodes` (so indices remain
/// stable) but are removed from `by_policy`.
#[derive(Default)]
struct Level {
    nodes: Vec<Node>,
    by_policy: BTreeMap<Oid, usize>,
}

impl Level {
    fn live(&self) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes.iter().enumerate().filter(|(_, node)| node.alive)
    }

    fn find(&self, policy: &Oid) -> Option<usize> {
        self.by_policy.get(policy).copied()
    }
}

/// A non-NULL `valid_policy_graph`: `levels[d]` holds the nodes of depth `d`.
struct Graph {
    any: Oid,
    levels: Vec<Level>,
}

impl Graph {
    /// The initial graph: a single anyPolicy node at depth 0 (§6.1.2 (a)).
    fn new(any: Oid, budget: &mut Budget) -> Result<Self, PolicyError> {
        let mut graph = Graph {
            any: any.clone(),
            levels: vec![Level::default()],
        };
        graph.push_node(any.clone(), vec![any], Vec::new(), budget)?;
        Ok(graph)
    }

    /// True when no node is left at the deepest level, i.e. the graph is NULL.
    fn is_null(&self) -> bool {
        self.levels
            .last()
            .is_none_or(|level| level.live().next().is_none())
    }

    /// Adds a node at the deepest level, with edges from `parents` (indices into
    /// the level above, which must be live).
    fn push_node(
        &mut self,
        valid_policy: Oid,
        expected_policy_set: Vec<Oid>,
        parents: Vec<usize>,
        budget: &mut Budget,
    ) -> Result<(), PolicyError> {
        budget.charge_node()?;
        budget.charge_work(parents.len().saturating_add(expected_policy_set.len()))?;
        let depth = self.levels.len().saturating_sub(1);
        if let Some(above) = depth.checked_sub(1).and_then(|d| self.levels.get_mut(d)) {
            for &p in &parents {
                if let Some(parent) = above.nodes.get_mut(p) {
                    parent.live_children = parent.live_children.saturating_add(1);
                }
            }
        }
        if let Some(level) = self.levels.last_mut() {
            let index = level.nodes.len();
            level.by_policy.insert(valid_policy.clone(), index);
            level.nodes.push(Node {
                valid_policy,
                expected_policy_set,
                parents,
                live_children: 0,
                alive: true,
            });
        }
        Ok(())
    }

    /// Deletes a node, then every ancestor left without children.
    fn delete(&mut self, depth: usize, index: usize) {
        let mut pending = vec![(depth, index)];
        while let Some((depth, index)) = pending.pop() {
            let Some(level) = self.levels.get_mut(depth) else {
                continue;
            };
            let parents = match level.nodes.get_mut(index) {
                Some(node) if node.alive => {
                    node.alive = false;
                    std::mem::take(&mut node.parents)
                }
                _ => continue,
            };
            let removed = level.nodes.get(index).map(|node| node.valid_policy.clone());
            if let Some(policy) = removed {
                level.by_policy.remove(&policy);
            }
            let Some(above_depth) = depth.checked_sub(1) else {
                continue;
            };
            let Some(above) = self.levels.get_mut(above_depth) else {
                continue;
            };
            for p in parents {
                if let Some(parent) = above.nodes.get_mut(p) {
                    parent.live_children = parent.live_children.saturating_sub(1);
                    if parent.live_children == 0 {
                        pending.push((above_depth, p));
                    }
                }
            }
        }
    }

    /// Deletes every childless node at `depth`, cascading upwards.
    fn prune_childless(&mut self, depth: usize) {
        let childless: Vec<usize> = self
            .levels
            .get(depth)
            .map(|level| {
                level
                    .live()
                    .filter(|(_, node)| node.live_children == 0)
                    .map(|(index, _)| index)
                    .collect()
            })
            .unwrap_or_default();
        for index in childless {
            self.delete(depth, index);
        }
    }

    /// §6.1.3 (d) as replaced by RFC 9618: builds depth i from the certificate's
    /// policies, then prunes. `any_allowed` is the (d)(2) condition on anyPolicy.
    fn add_certificate_level(
        &mut self,
        policies: &[Oid],
        any_allowed: bool,
        budget: &mut Budget,
    ) -> Result<(), PolicyError> {
        let above_depth = self.levels.len().saturating_sub(1);
        // expected policy -> live nodes at depth i-1 that expect it.
        let mut expecting: BTreeMap<Oid, Vec<usize>> = BTreeMap::new();
        let mut above_any = None;
        if let Some(above) = self.levels.get(above_depth) {
            for (index, node) in above.live() {
                for policy in &node.expected_policy_set {
                    expecting.entry(policy.clone()).or_default().push(index);
                }
            }
            above_any = above.find(&self.any);
        }
        self.levels.push(Level::default());

        let mut asserts_any = false;
        for policy in policies {
            if *policy == self.any {
                asserts_any = true;
                continue;
            }
            if self.find_leaf(policy).is_some() {
                continue; // duplicate in the extension
            }
            // (d)(1)(i), else (d)(1)(ii).
            let parents = match (expecting.get(policy), above_any) {
                (Some(parents), _) => parents.clone(),
                (None, Some(any_index)) => vec![any_index],
                (None, None) => continue,
            };
            self.push_node(policy.clone(), vec![policy.clone()], parents, budget)?;
        }

        // (d)(2): every expected policy not yet at depth i, anyPolicy included.
        if asserts_any && any_allowed {
            for (policy, parents) in expecting {
                if self.find_leaf(&policy).is_none() {
                    self.push_node(policy.clone(), vec![policy], parents, budget)?;
                }
            }
        }

        // (d)(3).
        self.prune_childless(above_depth);
        Ok(())
    }

    fn find_leaf(&self, policy: &Oid) -> Option<usize> {
        self.levels.last().and_then(|level| level.find(policy))
    }

    /// §6.1.4 (b) as replaced by RFC 9618. `mapping_allowed` is `policy_mapping > 0`.
    fn apply_mappings(
        &mut self,
        mappings: &[(Oid, Oid)],
        mapping_allowed: bool,
        budget: &mut Budget,
    ) -> Result<(), PolicyError> {
        let mut table: BTreeMap<&Oid, BTreeSet<&Oid>> = BTreeMap::new();
        for (issuer_policy, subject_policy) in mappings {
            table
                .entry(issuer_policy)
                .or_default()
                .insert(subject_policy);
        }
        let depth = self.levels.len().saturating_sub(1);

        if !mapping_allowed {
            // (b)(3): delete the mapped nodes; `delete` prunes the ancestors.
            for issuer_policy in table.keys() {
                if let Some(index) = self.find_leaf(issuer_policy) {
                    self.delete(depth, index);
                }
            }
            return Ok(());
        }

        // The anyPolicy node at depth i-1, reached through the anyPolicy node at depth i.
        let any_parent = self.find_leaf(&self.any).and_then(|index| {
            self.levels
                .last()
                .and_then(|level| level.nodes.get(index))
                .and_then(|node| node.parents.first().copied())
        });

        for (issuer_policy, subject_policies) in table {
            let expected: Vec<Oid> = subject_policies.into_iter().cloned().collect();
            if let Some(index) = self.find_leaf(issuer_policy) {
                // (b)(1).
                budget.charge_work(expected.len())?;
                if let Some(node) = self
                    .levels
                    .last_mut()
                    .and_then(|level| level.nodes.get_mut(index))
                {
                    node.expected_policy_set = expected;
                }
            } else if let Some(parent) = any_parent {
                // (b)(2).
                self.push_node(issuer_policy.clone(), expected, vec![parent], budget)?;
            }
        }
        Ok(())
    }

    /// RFC 9618 §6.1.5 (g)(1)-(4): policies of nodes whose only parent is anyPolicy,
    /// plus anyPolicy when it survives at depth n.
    fn authority_constrained_policy_set(&self) -> BTreeSet<Oid> {
        let mut set = BTreeSet::new();
        for pair in self.levels.windows(2) {
            let [above, level] = pair else { continue };
            for (_, node) in level.live() {
                let only_parent_is_any = match node.parents.as_slice() {
                    [p] => above
                        .nodes
                        .get(*p)
                        .is_some_and(|parent| parent.valid_policy == self.any),
                    _ => false,
                };
                if node.valid_policy != self.any && only_parent_is_any {
                    set.insert(node.valid_policy.clone());
                }
            }
        }
        if self.find_leaf(&self.any).is_some() {
            set.insert(self.any.clone());
        }
        set
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const NIST_ARC: &str = "2.16.840.1.101.3.2.1.48";

    /// `any` is anyPolicy, `P<n>` is NIST-test-policy-<n>, anything else is dotted text.
    fn oid(name: &str) -> Oid {
        let text = match name {
            "any" => "2.5.29.32.0".to_string(),
            _ => match name.strip_prefix('P') {
                Some(n) => format!("{NIST_ARC}.{n}"),
                None => name.to_string(),
            },
        };
        Oid::from_dotted(&text).expect("test OID")
    }

    fn oids(names: &str) -> Vec<Oid> {
        names.split_whitespace().map(oid).collect()
    }

    /// Owned description of one certificate; borrowed into `CertPolicyInfo` by `run`.
    #[derive(Clone, Default)]
    struct Spec {
        policies: Option<Vec<Oid>>,
        mappings: Option<Vec<(Oid, Oid)>>,
        rep: Option<u32>,
        ipm: Option<u32>,
        iap: Option<u32>,
        self_issued: bool,
    }

    /// A certificate asserting `policies` (space separated); `"-"` = no extension.
    fn c(policies: &str) -> Spec {
        Spec {
            policies: (policies != "-").then(|| oids(policies)),
            ..Spec::default()
        }
    }

    impl Spec {
        /// Mappings written `"P1>P2 P1>P3"`.
        fn map(mut self, mappings: &str) -> Self {
            let pairs = mappings
                .split_whitespace()
                .map(|pair| {
                    let (from, to) = pair.split_once('>').expect("from>to");
                    (oid(from), oid(to))
                })
                .collect();
            self.mappings = Some(pairs);
            self
        }
        fn rep(mut self, n: u32) -> Self {
            self.rep = Some(n);
            self
        }
        fn ipm(mut self, n: u32) -> Self {
            self.ipm = Some(n);
            self
        }
        fn iap(mut self, n: u32) -> Self {
            self.iap = Some(n);
            self
        }
        fn si(mut self) -> Self {
            self.self_issued = true;
            self
        }
        fn info(&self) -> CertPolicyInfo<'_> {
            CertPolicyInfo {
                policies: self.policies.as_deref(),
                mappings: self.mappings.as_deref(),
                require_explicit_policy: self.rep,
                inhibit_policy_mapping: self.ipm,
                inhibit_any_policy: self.iap,
                self_issued: self.self_issued,
            }
        }
    }

    fn inputs(
        initial: &str,
        explicit: bool,
        mapping_inhibit: bool,
        any_inhibit: bool,
    ) -> PolicyInputs {
        PolicyInputs {
            initial_policy_set: oids(initial),
            initial_explicit_policy: explicit,
            initial_policy_mapping_inhibit: mapping_inhibit,
            initial_any_policy_inhibit: any_inhibit,
        }
    }

    fn run_with(
        specs: &[Spec],
        inputs: &PolicyInputs,
        max_nodes: usize,
    ) -> Result<PolicyOutcome, PolicyError> {
        let infos: Vec<CertPolicyInfo<'_>> = specs.iter().map(Spec::info).collect();
        process_policies(&infos, inputs, max_nodes)
    }

    fn run(specs: &[Spec], inputs: &PolicyInputs) -> Result<PolicyOutcome, PolicyError> {
        run_with(specs, inputs, DEFAULT_MAX_POLICY_NODES)
    }

    fn sorted(names: &str) -> Vec<Oid> {
        let set: BTreeSet<Oid> = oids(names).into_iter().collect();
        set.into_iter().collect()
    }

    /// `expected`: `Some("P1 P2")` = valid with that user-constrained set, `None` = rejected.
    fn check(specs: &[Spec], inputs: PolicyInputs, expected: Option<&str>) {
        let result = run(specs, &inputs);
        match expected {
            Some(names) => {
                let outcome = result.expect("path should be accepted");
                assert_eq!(outcome.user_constrained_policy_set, sorted(names));
            }
            None => assert!(result.is_err(), "path should be rejected, got {result:?}"),
        }
    }

    // ---------------------------------------------------------------------------------
    // Hand-written cases.
    // ---------------------------------------------------------------------------------

    #[test]
    fn defaults_are_any_policy_and_false() {
        let d = PolicyInputs::default();
        assert_eq!(d.initial_policy_set, vec![oid("any")]);
        assert!(
            !d.initial_explicit_policy
                && !d.initial_policy_mapping_inhibit
                && !d.initial_any_policy_inhibit
        );
    }

    #[test]
    fn all_p1_gives_p1() {
        let out = run(&[c("P1"), c("P1"), c("P1")], &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        assert_eq!(out.authorities_constrained_policy_set, oids("P1"));
        assert_eq!(out.explicit_policy, 1); // 4 - 2 intermediates - 1 at wrap-up
    }

    #[test]
    fn empty_graph_without_explicit_policy_is_ok_and_empty() {
        let out = run(&[c("P1"), c("P2")], &PolicyInputs::default()).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
        assert!(out.authorities_constrained_policy_set.is_empty());
        assert_eq!(out.explicit_policy, 1);
    }

    #[test]
    fn any_everywhere_with_initial_p1_gives_p1() {
        let out = run(&[c("any"), c("any")], &inputs("P1", false, false, false)).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        assert_eq!(out.authorities_constrained_policy_set, oids("any"));
    }

    #[test]
    fn any_everywhere_with_initial_any_gives_any() {
        let out = run(&[c("any"), c("any"), c("any")], &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("any"));
    }

    #[test]
    fn any_plus_specific_leaf_collapses_to_any() {
        let out = run(&[c("any"), c("P1 any")], &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("any"));
        let out = run(
            &[c("any"), c("P1 any")],
            &inputs("P1 P2", false, false, false),
        )
        .expect("valid");
        assert_eq!(out.user_constrained_policy_set, sorted("P1 P2"));
    }

    #[test]
    fn empty_path_yields_initial_set() {
        let out = run(&[], &inputs("P3", true, false, false)).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P3"));
        assert_eq!(out.explicit_policy, 0);
    }

    #[test]
    fn missing_extension_with_explicit_policy_fails_at_that_cert() {
        let err = run(
            &[c("P1"), c("-"), c("P1")],
            &inputs("any", true, false, false),
        );
        assert_eq!(err, Err(PolicyError::NoAcceptablePolicy { cert_index: 1 }));
    }

    #[test]
    fn end_check_reports_last_index() {
        // Graph survives (P1) but the user wants P2 and policy is explicit.
        let err = run(&[c("P1"), c("P1")], &inputs("P2", true, false, false));
        assert_eq!(err, Err(PolicyError::NoAcceptablePolicy { cert_index: 1 }));
    }

    #[test]
    fn require_explicit_policy_counts_down() {
        // rep(1) at cert 0: explicit_policy becomes 1 for cert 1, 0 after cert 1.
        let specs = [c("P1").rep(1), c("P1"), c("-")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 2 })
        );
        // With rep(2) the end-entity's missing extension is tolerated (6.1.3 (f) sees 1)
        // but the wrap-up decrement makes it 0 with an empty set.
        let specs = [c("P1").rep(2), c("P1"), c("-")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 2 })
        );
        let specs = [c("P1").rep(3), c("P1"), c("-")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.explicit_policy, 1);
    }

    #[test]
    fn target_require_explicit_zero_forces_zero() {
        let out = run(&[c("P1"), c("P1").rep(0)], &PolicyInputs::default()).expect("valid");
        assert_eq!(out.explicit_policy, 0);
        assert_eq!(
            run(&[c("P1"), c("P2").rep(0)], &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 1 })
        );
    }

    #[test]
    fn self_issued_does_not_decrement() {
        // explicit_policy starts 0 only via rep; rep(1) then a self-issued cert keeps it 1.
        let specs = [c("P1").rep(1), c("P1").si(), c("-")];
        // cert 2: explicit_policy is still 1, so the missing extension passes (f);
        // wrap-up decrements to 0 and the set is empty -> rejected at the end.
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 2 })
        );
        let specs = [c("P1").rep(1), c("P1"), c("-")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 2 })
        );
        // A non-self-issued middle cert makes it fatal one cert earlier.
        let specs = [c("P1").rep(1), c("P1"), c("-"), c("P1")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 2 })
        );
        let specs = [c("P1").rep(1), c("P1").si(), c("-"), c("P1")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 3 })
        );
    }

    #[test]
    fn mapping_rewrites_expected_set() {
        let specs = [c("P1").map("P1>P2"), c("P2")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        // Authorities-constrained policies are in the anchor's domain.
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        // P1 itself no longer satisfies the mapped node.
        let out = run(&[c("P1").map("P1>P2"), c("P1")], &PolicyInputs::default()).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
    }

    #[test]
    fn mapping_from_any_policy_node_creates_node() {
        // 6.1.4 (b)(1) second case: the CA asserts only anyPolicy but maps P1 -> P2.
        let specs = [c("any").map("P1>P2"), c("P2")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        let out = run(&specs, &inputs("P2", false, false, false)).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
    }

    #[test]
    fn many_to_one_mapping_shares_a_node() {
        let specs = [c("P1 P2").map("P1>P3 P2>P3"), c("P3")];
        let out = run(&specs, &inputs("P2", true, false, false)).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P2"));
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, sorted("P1 P2"));
    }

    #[test]
    fn mapping_inhibited_deletes_mapped_nodes() {
        let specs = [c("P1 P2").map("P1>P3"), c("P1 P2 P3")];
        let out = run(&specs, &inputs("any", false, true, false)).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P2"));
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, sorted("P1 P2"));
    }

    #[test]
    fn mapping_inhibit_takes_effect_at_depth() {
        // ipm(1) on cert 0: mapping still allowed in cert 1, inhibited from cert 2 on.
        let specs = [
            c("P1").ipm(1),
            c("P1").map("P1>P2"),
            c("P2").map("P2>P3"),
            c("P3"),
        ];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
        let specs = [
            c("P1").ipm(2),
            c("P1").map("P1>P2"),
            c("P2").map("P2>P3"),
            c("P3"),
        ];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
    }

    #[test]
    fn mapping_deletion_can_null_the_graph() {
        let specs = [c("P1").map("P1>P2"), c("P2")];
        assert_eq!(
            run(&specs, &inputs("any", true, true, false)),
            Err(PolicyError::NoAcceptablePolicy { cert_index: 1 })
        );
    }

    #[test]
    fn any_policy_mapping_is_rejected() {
        let specs = [c("P1").map("P1>any"), c("P1")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::AnyPolicyMapping { cert_index: 0 })
        );
        let specs = [c("P1"), c("any").map("any>P1"), c("P1")];
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::AnyPolicyMapping { cert_index: 1 })
        );
        // Even with a NULL graph and mapping inhibited, the check applies.
        let specs = [c("-"), c("P1").map("any>P1"), c("P1")];
        assert_eq!(
            run(&specs, &inputs("any", false, true, false)),
            Err(PolicyError::AnyPolicyMapping { cert_index: 1 })
        );
    }

    #[test]
    fn mappings_in_target_are_ignored() {
        let specs = [c("P1"), c("P1").map("P1>any")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
    }

    #[test]
    fn any_policy_inhibited_initially() {
        let specs = [c("any"), c("P1")];
        let out = run(&specs, &inputs("any", false, false, true)).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
    }

    #[test]
    fn inhibit_any_policy_skip_certs() {
        // iap(1): anyPolicy honoured in the next certificate only.
        let specs = [c("P1").iap(1), c("any"), c("P1")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        let specs = [c("P1").iap(1), c("any"), c("any"), c("P1")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
        let specs = [c("P1").iap(0), c("any")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
    }

    #[test]
    fn self_issued_intermediate_may_use_any_policy_even_if_inhibited() {
        let specs = [c("P1").iap(0), c("any").si(), c("P1")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        // ...but not a self-issued target.
        let specs = [c("P1").iap(0), c("any").si()];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert!(out.user_constrained_policy_set.is_empty());
    }

    #[test]
    fn overlapping_policies_4_8_6_shape() {
        let specs = [c("P1 P2"), c("P1 P2"), c("P1")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
        assert!(run(&specs, &inputs("P2", true, false, false)).is_err());
    }

    #[test]
    fn duplicate_policies_and_mappings_are_harmless() {
        let specs = [c("P1 P1").map("P1>P2 P1>P2"), c("P2 P2")];
        let out = run(&specs, &PolicyInputs::default()).expect("valid");
        assert_eq!(out.user_constrained_policy_set, oids("P1"));
    }

    #[test]
    fn outputs_are_sorted_and_deduplicated() {
        let specs = [c("P3 P1 P2"), c("P2 P3 P1")];
        let out = run(&specs, &inputs("P3 P1 P3", false, false, false)).expect("valid");
        assert_eq!(out.user_constrained_policy_set, sorted("P1 P3"));
        assert_eq!(out.authorities_constrained_policy_set, sorted("P1 P2 P3"));
    }

    #[test]
    fn node_limit_is_enforced() {
        let specs = [c("P1 P2 P3"), c("P1 P2 P3")];
        // 1 root + 3 + 3 nodes.
        assert!(run_with(&specs, &PolicyInputs::default(), 7).is_ok());
        assert_eq!(
            run_with(&specs, &PolicyInputs::default(), 6),
            Err(PolicyError::GraphTooLarge { limit: 6 })
        );
        assert_eq!(
            run_with(&[], &PolicyInputs::default(), 0),
            Err(PolicyError::GraphTooLarge { limit: 0 })
        );
    }

    #[test]
    fn huge_mapping_fan_out_hits_work_bound() {
        let many: Vec<(Oid, Oid)> = (0..10_000u32)
            .map(|k| (oid("P1"), oid(&format!("1.2.3.{k}"))))
            .collect();
        let mut ca = c("P1");
        ca.mappings = Some(many);
        assert_eq!(
            run_with(&[ca, c("1.2.3.7")], &PolicyInputs::default(), 100),
            Err(PolicyError::GraphTooLarge { limit: 100 })
        );
    }

    /// 30 certificates, each asserting 20 policies, each mapping every policy to every
    /// policy: the RFC 5280 tree would have 20^30 leaves; the graph has 581 nodes and
    /// about 23,000 work units (edges plus expected-policy entries).
    #[test]
    fn mapping_explosion_stays_small() {
        let names: Vec<String> = (1..=20).map(|k| format!("P{k}")).collect();
        let all = names.join(" ");
        let pairs: Vec<String> = names
            .iter()
            .flat_map(|a| names.iter().map(move |b| format!("{a}>{b}")))
            .collect();
        let pairs = pairs.join(" ");
        let mut specs: Vec<Spec> = (0..29).map(|_| c(&all).map(&pairs)).collect();
        specs.push(c(&all));

        let start = std::time::Instant::now();
        let out = run_with(&specs, &PolicyInputs::default(), 2_000).expect("fits");
        assert_eq!(out.user_constrained_policy_set, sorted(&all));
        let small = run_with(&specs, &PolicyInputs::default(), 100);
        assert_eq!(small, Err(PolicyError::GraphTooLarge { limit: 100 }));
        let limited = run_with(&specs, &inputs("P7", true, false, false), 2_000).expect("fits");
        assert_eq!(limited.user_constrained_policy_set, oids("P7"));
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "took {:?}",
            start.elapsed()
        );
    }

    /// A deeper, wider variant (60 certificates x 60 policies, all-to-all mappings)
    /// must be refused by the default limits rather than ground through.
    #[test]
    fn wide_deep_explosion_is_refused_quickly() {
        let names: Vec<String> = (1..=60).map(|k| format!("P{k}")).collect();
        let all = names.join(" ");
        let pairs: Vec<String> = names
            .iter()
            .flat_map(|a| names.iter().map(move |b| format!("{a}>{b}")))
            .collect();
        let pairs = pairs.join(" ");
        let mut specs: Vec<Spec> = (0..59).map(|_| c(&all).map(&pairs)).collect();
        specs.push(c(&all));
        let start = std::time::Instant::now();
        assert_eq!(
            run(&specs, &PolicyInputs::default()),
            Err(PolicyError::GraphTooLarge {
                limit: DEFAULT_MAX_POLICY_NODES
            })
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn pkits_4_10_7_and_4_10_8_report_any_policy_mapping() {
        let from_any = [c("any").map("any>P1").rep(0), c("P1")];
        assert_eq!(
            run(&from_any, &PolicyInputs::default()),
            Err(PolicyError::AnyPolicyMapping { cert_index: 0 })
        );
        let to_any = [c("P1").map("P1>any").rep(0), c("P1")];
        assert_eq!(
            run(&to_any, &PolicyInputs::default()),
            Err(PolicyError::AnyPolicyMapping { cert_index: 0 })
        );
    }

    #[test]
    fn error_messages_mention_index() {
        let text = PolicyError::NoAcceptablePolicy { cert_index: 3 }.to_string();
        assert!(text.contains('3'));
        let text = PolicyError::GraphTooLarge { limit: 42 }.to_string();
        assert!(text.contains("42"));
    }

    // ---------------------------------------------------------------------------------
    // PKITS 4.5 (valid), 4.8-4.12, transcribed from the certificates' extensions.
    // `c("...")` lists certificatePolicies (`-` = absent), `.map` policyMappings,
    // `.rep`/`.ipm` policyConstraints, `.iap` inhibitAnyPolicy, `.si()` self-issued.
    // Expected sets are `expected_user_constrained_policy_set` of tests.json.
    // ---------------------------------------------------------------------------------

    /// PKITS 4.5.1 Valid Basic Self-Issued Old With New Test1: BasicSelfIssuedNewKeyCACert, BasicSelfIssuedNewKeyOldWithNewCACert, ValidBasicSelfIssuedOldWithNewTest1EE.
    #[test]
    fn pkits_4_5_1() {
        check(
            &[c("P1"), c("P1").si(), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.5.3 Valid Basic Self-Issued New With Old Test3: BasicSelfIssuedOldKeyCACert, BasicSelfIssuedOldKeyNewWithOldCACert, ValidBasicSelfIssuedNewWithOldTest3EE.
    #[test]
    fn pkits_4_5_3() {
        check(
            &[c("P1"), c("P1").si(), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.5.4 Valid Basic Self-Issued New With Old Test4: BasicSelfIssuedOldKeyCACert, ValidBasicSelfIssuedNewWithOldTest4EE.
    #[test]
    fn pkits_4_5_4() {
        check(
            &[c("P1"), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.5.6 Valid Basic Self-Issued CRL Signing Key Test6: BasicSelfIssuedCRLSigningKeyCACert, ValidBasicSelfIssuedCRLSigningKeyTest6EE.
    #[test]
    fn pkits_4_5_6() {
        check(
            &[c("P1"), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.1#1 All Certificates Same Policy Test1: GoodCACert, ValidCertificatePathTest1EE.
    #[test]
    fn pkits_4_8_1_1() {
        check(
            &[c("P1"), c("P1")],
            inputs("any", true, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.1#2 All Certificates Same Policy Test1: GoodCACert, ValidCertificatePathTest1EE.
    #[test]
    fn pkits_4_8_1_2() {
        check(
            &[c("P1"), c("P1")],
            inputs("P1", true, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.1#3 All Certificates Same Policy Test1: GoodCACert, ValidCertificatePathTest1EE.
    #[test]
    fn pkits_4_8_1_3() {
        check(&[c("P1"), c("P1")], inputs("P2", true, false, false), None);
    }

    /// PKITS 4.8.1#4 All Certificates Same Policy Test1: GoodCACert, ValidCertificatePathTest1EE.
    #[test]
    fn pkits_4_8_1_4() {
        check(
            &[c("P1"), c("P1")],
            inputs("P1 P2", true, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.2#1 All Certificates No Policies Test2: NoPoliciesCACert, AllCertificatesNoPoliciesTest2EE.
    #[test]
    fn pkits_4_8_2_1() {
        check(
            &[c("-"), c("-")],
            inputs("any", false, false, false),
            Some(""),
        );
    }

    /// PKITS 4.8.2#2 All Certificates No Policies Test2: NoPoliciesCACert, AllCertificatesNoPoliciesTest2EE.
    #[test]
    fn pkits_4_8_2_2() {
        check(&[c("-"), c("-")], inputs("any", true, false, false), None);
    }

    /// PKITS 4.8.3#1 Different Policies Test3: GoodCACert, PoliciesP2subCACert, DifferentPoliciesTest3EE.
    #[test]
    fn pkits_4_8_3_1() {
        check(
            &[c("P1"), c("P2"), c("P2")],
            inputs("any", false, false, false),
            Some(""),
        );
    }

    /// PKITS 4.8.3#2 Different Policies Test3: GoodCACert, PoliciesP2subCACert, DifferentPoliciesTest3EE.
    #[test]
    fn pkits_4_8_3_2() {
        check(
            &[c("P1"), c("P2"), c("P2")],
            inputs("any", true, false, false),
            None,
        );
    }

    /// PKITS 4.8.3#3 Different Policies Test3: GoodCACert, PoliciesP2subCACert, DifferentPoliciesTest3EE.
    #[test]
    fn pkits_4_8_3_3() {
        check(
            &[c("P1"), c("P2"), c("P2")],
            inputs("P1 P2", true, false, false),
            None,
        );
    }

    /// PKITS 4.8.4 Different Policies Test4: GoodCACert, GoodsubCACert, DifferentPoliciesTest4EE.
    #[test]
    fn pkits_4_8_4() {
        check(
            &[c("P1"), c("P1").rep(0), c("P2")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.5 Different Policies Test5: GoodCACert, PoliciesP2subCA2Cert, DifferentPoliciesTest5EE.
    #[test]
    fn pkits_4_8_5() {
        check(
            &[c("P1"), c("P2").rep(0), c("P1")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.6#1 Overlapping Policies Test6: PoliciesP1234CACert, PoliciesP1234subCAP123Cert, PoliciesP1234subsubCAP123P12Cert, OverlappingPoliciesTest6EE.
    #[test]
    fn pkits_4_8_6_1() {
        check(
            &[c("P1 P2 P3 P4").rep(0), c("P1 P2 P3"), c("P1 P2"), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.6#2 Overlapping Policies Test6: PoliciesP1234CACert, PoliciesP1234subCAP123Cert, PoliciesP1234subsubCAP123P12Cert, OverlappingPoliciesTest6EE.
    #[test]
    fn pkits_4_8_6_2() {
        check(
            &[c("P1 P2 P3 P4").rep(0), c("P1 P2 P3"), c("P1 P2"), c("P1")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.6#3 Overlapping Policies Test6: PoliciesP1234CACert, PoliciesP1234subCAP123Cert, PoliciesP1234subsubCAP123P12Cert, OverlappingPoliciesTest6EE.
    #[test]
    fn pkits_4_8_6_3() {
        check(
            &[c("P1 P2 P3 P4").rep(0), c("P1 P2 P3"), c("P1 P2"), c("P1")],
            inputs("P2", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.7 Different Policies Test7: PoliciesP123CACert, PoliciesP123subCAP12Cert, PoliciesP123subsubCAP12P1Cert, DifferentPoliciesTest7EE.
    #[test]
    fn pkits_4_8_7() {
        check(
            &[c("P1 P2 P3").rep(0), c("P1 P2"), c("P1"), c("P2")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.8 Different Policies Test8: PoliciesP12CACert, PoliciesP12subCAP1Cert, PoliciesP12subsubCAP1P2Cert, DifferentPoliciesTest8EE.
    #[test]
    fn pkits_4_8_8() {
        check(
            &[c("P1 P2").rep(0), c("P1"), c("P2"), c("P2")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.9 Different Policies Test9: PoliciesP123CACert, PoliciesP123subCAP12Cert, PoliciesP123subsubCAP12P2Cert, PoliciesP123subsubsubCAP12P2P1Cert, DifferentPoliciesTest9EE.
    #[test]
    fn pkits_4_8_9() {
        check(
            &[c("P1 P2 P3").rep(0), c("P1 P2"), c("P2"), c("P1"), c("P1")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.10#1 All Certificates Same Policies Test10: PoliciesP12CACert, AllCertificatesSamePoliciesTest10EE.
    #[test]
    fn pkits_4_8_10_1() {
        check(
            &[c("P1 P2").rep(0), c("P1 P2")],
            inputs("any", false, false, false),
            Some("P1 P2"),
        );
    }

    /// PKITS 4.8.10#2 All Certificates Same Policies Test10: PoliciesP12CACert, AllCertificatesSamePoliciesTest10EE.
    #[test]
    fn pkits_4_8_10_2() {
        check(
            &[c("P1 P2").rep(0), c("P1 P2")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.10#3 All Certificates Same Policies Test10: PoliciesP12CACert, AllCertificatesSamePoliciesTest10EE.
    #[test]
    fn pkits_4_8_10_3() {
        check(
            &[c("P1 P2").rep(0), c("P1 P2")],
            inputs("P2", false, false, false),
            Some("P2"),
        );
    }

    /// PKITS 4.8.11#1 All Certificates AnyPolicy Test11: anyPolicyCACert, AllCertificatesanyPolicyTest11EE.
    #[test]
    fn pkits_4_8_11_1() {
        check(
            &[c("any").rep(0), c("any")],
            inputs("any", false, false, false),
            Some("any"),
        );
    }

    /// PKITS 4.8.11#2 All Certificates AnyPolicy Test11: anyPolicyCACert, AllCertificatesanyPolicyTest11EE.
    #[test]
    fn pkits_4_8_11_2() {
        check(
            &[c("any").rep(0), c("any")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.12 Different Policies Test12: PoliciesP3CACert, DifferentPoliciesTest12EE.
    #[test]
    fn pkits_4_8_12() {
        check(
            &[c("P3").rep(0), c("P4")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.13#1 All Certificates Same Policies Test13: PoliciesP123CACert, AllCertificatesSamePoliciesTest13EE.
    #[test]
    fn pkits_4_8_13_1() {
        check(
            &[c("P1 P2 P3").rep(0), c("P1 P2 P3")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.13#2 All Certificates Same Policies Test13: PoliciesP123CACert, AllCertificatesSamePoliciesTest13EE.
    #[test]
    fn pkits_4_8_13_2() {
        check(
            &[c("P1 P2 P3").rep(0), c("P1 P2 P3")],
            inputs("P2", false, false, false),
            Some("P2"),
        );
    }

    /// PKITS 4.8.13#3 All Certificates Same Policies Test13: PoliciesP123CACert, AllCertificatesSamePoliciesTest13EE.
    #[test]
    fn pkits_4_8_13_3() {
        check(
            &[c("P1 P2 P3").rep(0), c("P1 P2 P3")],
            inputs("P3", false, false, false),
            Some("P3"),
        );
    }

    /// PKITS 4.8.14#1 AnyPolicy Test14: anyPolicyCACert, AnyPolicyTest14EE.
    #[test]
    fn pkits_4_8_14_1() {
        check(
            &[c("any").rep(0), c("P1")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.14#2 AnyPolicy Test14: anyPolicyCACert, AnyPolicyTest14EE.
    #[test]
    fn pkits_4_8_14_2() {
        check(
            &[c("any").rep(0), c("P1")],
            inputs("P2", false, false, false),
            None,
        );
    }

    /// PKITS 4.8.15 User Notice Qualifier Test15: UserNoticeQualifierTest15EE.
    #[test]
    fn pkits_4_8_15() {
        check(&[c("P1")], inputs("any", false, false, false), Some("P1"));
    }

    /// PKITS 4.8.16 User Notice Qualifier Test16: GoodCACert, UserNoticeQualifierTest16EE.
    #[test]
    fn pkits_4_8_16() {
        check(
            &[c("P1"), c("P1 P2")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.17 User Notice Qualifier Test17: GoodCACert, UserNoticeQualifierTest17EE.
    #[test]
    fn pkits_4_8_17() {
        check(
            &[c("P1"), c("any")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.18#1 User Notice Qualifier Test18: PoliciesP12CACert, UserNoticeQualifierTest18EE.
    #[test]
    fn pkits_4_8_18_1() {
        check(
            &[c("P1 P2").rep(0), c("P1 any")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.8.18#2 User Notice Qualifier Test18: PoliciesP12CACert, UserNoticeQualifierTest18EE.
    #[test]
    fn pkits_4_8_18_2() {
        check(
            &[c("P1 P2").rep(0), c("P1 any")],
            inputs("P2", false, false, false),
            Some("P2"),
        );
    }

    /// PKITS 4.8.19 User Notice Qualifier Test19: UserNoticeQualifierTest19EE.
    #[test]
    fn pkits_4_8_19() {
        check(&[c("P1")], inputs("any", false, false, false), Some("P1"));
    }

    /// PKITS 4.8.20 CPS Pointer Qualifier Test20: GoodCACert, CPSPointerQualifierTest20EE.
    #[test]
    fn pkits_4_8_20() {
        check(
            &[c("P1"), c("P1")],
            inputs("P1", true, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.9.1 Valid RequireExplicitPolicy Test1: requireExplicitPolicy10CACert, requireExplicitPolicy10subCACert, requireExplicitPolicy10subsubCACert, requireExplicitPolicy10subsubsubCACert, ValidrequireExplicitPolicyTest1EE.
    #[test]
    fn pkits_4_9_1() {
        check(
            &[c("P1").rep(10), c("P1"), c("P1"), c("P1"), c("-")],
            inputs("any", false, false, false),
            Some(""),
        );
    }

    /// PKITS 4.9.2 Valid RequireExplicitPolicy Test2: requireExplicitPolicy5CACert, requireExplicitPolicy5subCACert, requireExplicitPolicy5subsubCACert, requireExplicitPolicy5subsubsubCACert, ValidrequireExplicitPolicyTest2EE.
    #[test]
    fn pkits_4_9_2() {
        check(
            &[c("P1").rep(5), c("P1"), c("P1"), c("P1"), c("-")],
            inputs("any", false, false, false),
            Some(""),
        );
    }

    /// PKITS 4.9.3 Invalid RequireExplicitPolicy Test3: requireExplicitPolicy4CACert, requireExplicitPolicy4subCACert, requireExplicitPolicy4subsubCACert, requireExplicitPolicy4subsubsubCACert, InvalidrequireExplicitPolicyTest3EE.
    #[test]
    fn pkits_4_9_3() {
        check(
            &[c("P1").rep(4), c("P1"), c("P1"), c("P1"), c("-")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.9.4 Valid RequireExplicitPolicy Test4: requireExplicitPolicy0CACert, requireExplicitPolicy0subCACert, requireExplicitPolicy0subsubCACert, requireExplicitPolicy0subsubsubCACert, ValidrequireExplicitPolicyTest4EE.
    #[test]
    fn pkits_4_9_4() {
        check(
            &[c("P1").rep(0), c("P1"), c("P1"), c("P1"), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.9.5 Invalid RequireExplicitPolicy Test5: requireExplicitPolicy7CACert, requireExplicitPolicy7subCARE2Cert, requireExplicitPolicy7subsubCARE2RE4Cert, requireExplicitPolicy7subsubsubCARE2RE4Cert, InvalidrequireExplicitPolicyTest5EE.
    #[test]
    fn pkits_4_9_5() {
        check(
            &[
                c("P1").rep(7),
                c("P1").rep(2),
                c("P1").rep(4),
                c("P1"),
                c("-"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.9.6 Valid Self-Issued requireExplicitPolicy Test6: requireExplicitPolicy2CACert, requireExplicitPolicy2SelfIssuedCACert, ValidSelfIssuedrequireExplicitPolicyTest6EE.
    #[test]
    fn pkits_4_9_6() {
        check(
            &[c("P1").rep(2), c("P1").si(), c("-")],
            inputs("any", false, false, false),
            Some(""),
        );
    }

    /// PKITS 4.9.7 Invalid Self-Issued requireExplicitPolicy Test7: requireExplicitPolicy2CACert, requireExplicitPolicy2SelfIssuedCACert, requireExplicitPolicy2subCACert, InvalidSelfIssuedrequireExplicitPolicyTest7EE.
    #[test]
    fn pkits_4_9_7() {
        check(
            &[c("P1").rep(2), c("P1").si(), c("P1"), c("-")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.9.8 Invalid Self-Issued requireExplicitPolicy Test8: requireExplicitPolicy2CACert, requireExplicitPolicy2SelfIssuedCACert, requireExplicitPolicy2subCACert, requireExplicitPolicy2SelfIssuedsubCACert, InvalidSelfIssuedrequireExplicitPolicyTest8EE.
    #[test]
    fn pkits_4_9_8() {
        check(
            &[c("P1").rep(2), c("P1").si(), c("P1"), c("P1").si(), c("-")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.1#1 Valid Policy Mapping Test1: Mapping1to2CACert, ValidPolicyMappingTest1EE.
    #[test]
    fn pkits_4_10_1_1() {
        check(
            &[c("P1").map("P1>P2").rep(0), c("P2")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.1#2 Valid Policy Mapping Test1: Mapping1to2CACert, ValidPolicyMappingTest1EE.
    #[test]
    fn pkits_4_10_1_2() {
        check(
            &[c("P1").map("P1>P2").rep(0), c("P2")],
            inputs("P2", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.1#3 Valid Policy Mapping Test1: Mapping1to2CACert, ValidPolicyMappingTest1EE.
    #[test]
    fn pkits_4_10_1_3() {
        check(
            &[c("P1").map("P1>P2").rep(0), c("P2")],
            inputs("any", false, true, false),
            None,
        );
    }

    /// PKITS 4.10.2#1 Invalid Policy Mapping Test2: Mapping1to2CACert, InvalidPolicyMappingTest2EE.
    #[test]
    fn pkits_4_10_2_1() {
        check(
            &[c("P1").map("P1>P2").rep(0), c("P1")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.2#2 Invalid Policy Mapping Test2: Mapping1to2CACert, InvalidPolicyMappingTest2EE.
    #[test]
    fn pkits_4_10_2_2() {
        check(
            &[c("P1").map("P1>P2").rep(0), c("P1")],
            inputs("any", false, true, false),
            None,
        );
    }

    /// PKITS 4.10.3#1 Valid Policy Mapping Test3: P12Mapping1to3CACert, P12Mapping1to3subCACert, P12Mapping1to3subsubCACert, ValidPolicyMappingTest3EE.
    #[test]
    fn pkits_4_10_3_1() {
        check(
            &[
                c("P1 P2").map("P1>P3").rep(0),
                c("P2 P5").map("P2>P4 P5>P7"),
                c("P3 P4").map("P4>P8"),
                c("P8"),
            ],
            inputs("P1", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.3#2 Valid Policy Mapping Test3: P12Mapping1to3CACert, P12Mapping1to3subCACert, P12Mapping1to3subsubCACert, ValidPolicyMappingTest3EE.
    #[test]
    fn pkits_4_10_3_2() {
        check(
            &[
                c("P1 P2").map("P1>P3").rep(0),
                c("P2 P5").map("P2>P4 P5>P7"),
                c("P3 P4").map("P4>P8"),
                c("P8"),
            ],
            inputs("P2", false, false, false),
            Some("P2"),
        );
    }

    /// PKITS 4.10.4 Invalid Policy Mapping Test4: P12Mapping1to3CACert, P12Mapping1to3subCACert, P12Mapping1to3subsubCACert, InvalidPolicyMappingTest4EE.
    #[test]
    fn pkits_4_10_4() {
        check(
            &[
                c("P1 P2").map("P1>P3").rep(0),
                c("P2 P5").map("P2>P4 P5>P7"),
                c("P3 P4").map("P4>P8"),
                c("P3"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.5#1 Valid Policy Mapping Test5: P1Mapping1to234CACert, P1Mapping1to234subCACert, ValidPolicyMappingTest5EE.
    #[test]
    fn pkits_4_10_5_1() {
        check(
            &[
                c("P1").map("P1>P2 P1>P3 P1>P4").rep(0),
                c("P2 P4").map("P2>P5 P4>P6"),
                c("P6"),
            ],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.5#2 Valid Policy Mapping Test5: P1Mapping1to234CACert, P1Mapping1to234subCACert, ValidPolicyMappingTest5EE.
    #[test]
    fn pkits_4_10_5_2() {
        check(
            &[
                c("P1").map("P1>P2 P1>P3 P1>P4").rep(0),
                c("P2 P4").map("P2>P5 P4>P6"),
                c("P6"),
            ],
            inputs("P6", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.6#1 Valid Policy Mapping Test6: P1Mapping1to234CACert, P1Mapping1to234subCACert, ValidPolicyMappingTest6EE.
    #[test]
    fn pkits_4_10_6_1() {
        check(
            &[
                c("P1").map("P1>P2 P1>P3 P1>P4").rep(0),
                c("P2 P4").map("P2>P5 P4>P6"),
                c("P5"),
            ],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.6#2 Valid Policy Mapping Test6: P1Mapping1to234CACert, P1Mapping1to234subCACert, ValidPolicyMappingTest6EE.
    #[test]
    fn pkits_4_10_6_2() {
        check(
            &[
                c("P1").map("P1>P2 P1>P3 P1>P4").rep(0),
                c("P2 P4").map("P2>P5 P4>P6"),
                c("P5"),
            ],
            inputs("P6", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.7 Invalid Mapping From anyPolicy Test7: MappingFromanyPolicyCACert, InvalidMappingFromanyPolicyTest7EE.
    #[test]
    fn pkits_4_10_7() {
        check(
            &[c("any").map("any>P1").rep(0), c("P1")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.8 Invalid Mapping To anyPolicy Test8: MappingToanyPolicyCACert, InvalidMappingToanyPolicyTest8EE.
    #[test]
    fn pkits_4_10_8() {
        check(
            &[c("P1").map("P1>any").rep(0), c("any")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.9 Valid Policy Mapping Test9: PanyPolicyMapping1to2CACert, ValidPolicyMappingTest9EE.
    #[test]
    fn pkits_4_10_9() {
        check(
            &[c("any").map("P1>P2").rep(0), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.10 Invalid Policy Mapping Test10: GoodCACert, GoodsubCAPanyPolicyMapping1to2CACert, InvalidPolicyMappingTest10EE.
    #[test]
    fn pkits_4_10_10() {
        check(
            &[c("P1"), c("any").map("P1>P2").rep(0), c("P1")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.11 Valid Policy Mapping Test11: GoodCACert, GoodsubCAPanyPolicyMapping1to2CACert, ValidPolicyMappingTest11EE.
    #[test]
    fn pkits_4_10_11() {
        check(
            &[c("P1"), c("any").map("P1>P2").rep(0), c("P2")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.12#1 Valid Policy Mapping Test12: P12Mapping1to3CACert, ValidPolicyMappingTest12EE.
    #[test]
    fn pkits_4_10_12_1() {
        check(
            &[c("P1 P2").map("P1>P3").rep(0), c("P3 any")],
            inputs("P1", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.12#2 Valid Policy Mapping Test12: P12Mapping1to3CACert, ValidPolicyMappingTest12EE.
    #[test]
    fn pkits_4_10_12_2() {
        check(
            &[c("P1 P2").map("P1>P3").rep(0), c("P3 any")],
            inputs("P2", false, false, false),
            Some("P2"),
        );
    }

    /// PKITS 4.10.13#1 Valid Policy Mapping Test13: P1anyPolicyMapping1to2CACert, ValidPolicyMappingTest13EE.
    #[test]
    fn pkits_4_10_13_1() {
        check(
            &[c("P1 any").map("P1>P2").rep(0), c("P2")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.13#2 Valid Policy Mapping Test13: P1anyPolicyMapping1to2CACert, ValidPolicyMappingTest13EE.
    #[test]
    fn pkits_4_10_13_2() {
        check(
            &[c("P1 any").map("P1>P2").rep(0), c("P2")],
            inputs("P1 P2", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.10.13#3 Valid Policy Mapping Test13: P1anyPolicyMapping1to2CACert, ValidPolicyMappingTest13EE.
    #[test]
    fn pkits_4_10_13_3() {
        check(
            &[c("P1 any").map("P1>P2").rep(0), c("P2")],
            inputs("P2", false, false, false),
            None,
        );
    }

    /// PKITS 4.10.14 Valid Policy Mapping Test14: P1anyPolicyMapping1to2CACert, ValidPolicyMappingTest14EE.
    #[test]
    fn pkits_4_10_14() {
        check(
            &[c("P1 any").map("P1>P2").rep(0), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.11.1 Invalid inhibitPolicyMapping Test1: inhibitPolicyMapping0CACert, inhibitPolicyMapping0subCACert, InvalidinhibitPolicyMappingTest1EE.
    #[test]
    fn pkits_4_11_1() {
        check(
            &[c("P1").rep(0).ipm(0), c("P1").map("P1>P2"), c("P1 P2")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.2 Valid inhibitPolicyMapping Test2: inhibitPolicyMapping1P12CACert, inhibitPolicyMapping1P12subCACert, ValidinhibitPolicyMappingTest2EE.
    #[test]
    fn pkits_4_11_2() {
        check(
            &[
                c("P1 P2").rep(0).ipm(1),
                c("P1 P2").map("P1>P3 P2>P4"),
                c("P3"),
            ],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.11.3 Invalid inhibitPolicyMapping Test3: inhibitPolicyMapping1P12CACert, inhibitPolicyMapping1P12subCACert, inhibitPolicyMapping1P12subsubCACert, InvalidinhibitPolicyMappingTest3EE.
    #[test]
    fn pkits_4_11_3() {
        check(
            &[
                c("P1 P2").rep(0).ipm(1),
                c("P1 P2").map("P1>P3 P2>P4"),
                c("P3 P4").map("P3>P5"),
                c("P5"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.4 Valid inhibitPolicyMapping Test4: inhibitPolicyMapping1P12CACert, inhibitPolicyMapping1P12subCACert, inhibitPolicyMapping1P12subsubCACert, ValidinhibitPolicyMappingTest4EE.
    #[test]
    fn pkits_4_11_4() {
        check(
            &[
                c("P1 P2").rep(0).ipm(1),
                c("P1 P2").map("P1>P3 P2>P4"),
                c("P3 P4").map("P3>P5"),
                c("P4"),
            ],
            inputs("any", false, false, false),
            Some("P2"),
        );
    }

    /// PKITS 4.11.5 Invalid inhibitPolicyMapping Test5: inhibitPolicyMapping5CACert, inhibitPolicyMapping5subCACert, inhibitPolicyMapping5subsubCACert, inhibitPolicyMapping5subsubsubCACert, InvalidinhibitPolicyMappingTest5EE.
    #[test]
    fn pkits_4_11_5() {
        check(
            &[
                c("P1").rep(0).ipm(5),
                c("P1").ipm(1),
                c("P1"),
                c("P1").map("P1>P2"),
                c("P2"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.6 Invalid inhibitPolicyMapping Test6: inhibitPolicyMapping1P12CACert, inhibitPolicyMapping1P12subCAIPM5Cert, inhibitPolicyMapping1P12subsubCAIPM5Cert, InvalidinhibitPolicyMappingTest6EE.
    #[test]
    fn pkits_4_11_6() {
        check(
            &[
                c("P1 P2").rep(0).ipm(1),
                c("P1 P2").ipm(5),
                c("P1 P2").map("P1>P3"),
                c("P3"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.7 Valid Self-Issued inhibitPolicyMapping Test7: inhibitPolicyMapping1P1CACert, inhibitPolicyMapping1P1SelfIssuedCACert, inhibitPolicyMapping1P1subCACert, ValidSelfIssuedinhibitPolicyMappingTest7EE.
    #[test]
    fn pkits_4_11_7() {
        check(
            &[
                c("P1").rep(0).ipm(1),
                c("P1").si(),
                c("P1").map("P1>P2"),
                c("P2"),
            ],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.11.8 Invalid Self-Issued inhibitPolicyMapping Test8: inhibitPolicyMapping1P1CACert, inhibitPolicyMapping1P1SelfIssuedCACert, inhibitPolicyMapping1P1subCACert, inhibitPolicyMapping1P1subsubCACert, InvalidSelfIssuedinhibitPolicyMappingTest8EE.
    #[test]
    fn pkits_4_11_8() {
        check(
            &[
                c("P1").rep(0).ipm(1),
                c("P1").si(),
                c("P1").map("P1>P2"),
                c("P2").map("P2>P3"),
                c("P3"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.9 Invalid Self-Issued inhibitPolicyMapping Test9: inhibitPolicyMapping1P1CACert, inhibitPolicyMapping1P1SelfIssuedCACert, inhibitPolicyMapping1P1subCACert, inhibitPolicyMapping1P1subsubCACert, InvalidSelfIssuedinhibitPolicyMappingTest9EE.
    #[test]
    fn pkits_4_11_9() {
        check(
            &[
                c("P1").rep(0).ipm(1),
                c("P1").si(),
                c("P1").map("P1>P2"),
                c("P2").map("P2>P3"),
                c("P2"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.10 Invalid Self-Issued inhibitPolicyMapping Test10: inhibitPolicyMapping1P1CACert, inhibitPolicyMapping1P1SelfIssuedCACert, inhibitPolicyMapping1P1subCACert, inhibitPolicyMapping1P1SelfIssuedsubCACert, InvalidSelfIssuedinhibitPolicyMappingTest10EE.
    #[test]
    fn pkits_4_11_10() {
        check(
            &[
                c("P1").rep(0).ipm(1),
                c("P1").si(),
                c("P1").map("P1>P2"),
                c("P2").map("P2>P3").si(),
                c("P3"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.11.11 Invalid Self-Issued inhibitPolicyMapping Test11: inhibitPolicyMapping1P1CACert, inhibitPolicyMapping1P1SelfIssuedCACert, inhibitPolicyMapping1P1subCACert, inhibitPolicyMapping1P1SelfIssuedsubCACert, InvalidSelfIssuedinhibitPolicyMappingTest11EE.
    #[test]
    fn pkits_4_11_11() {
        check(
            &[
                c("P1").rep(0).ipm(1),
                c("P1").si(),
                c("P1").map("P1>P2"),
                c("P2").map("P2>P3").si(),
                c("P2"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.12.1 Invalid inhibitAnyPolicy Test1: inhibitAnyPolicy0CACert, InvalidinhibitAnyPolicyTest1EE.
    #[test]
    fn pkits_4_12_1() {
        check(
            &[c("P1").rep(0).iap(0), c("any")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.12.2 Valid inhibitAnyPolicy Test2: inhibitAnyPolicy0CACert, ValidinhibitAnyPolicyTest2EE.
    #[test]
    fn pkits_4_12_2() {
        check(
            &[c("P1").rep(0).iap(0), c("any P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.12.3#1 inhibitAnyPolicy Test3: inhibitAnyPolicy1CACert, inhibitAnyPolicy1subCA1Cert, inhibitAnyPolicyTest3EE.
    #[test]
    fn pkits_4_12_3_1() {
        check(
            &[c("P1").rep(0).iap(1), c("any"), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.12.3#2 inhibitAnyPolicy Test3: inhibitAnyPolicy1CACert, inhibitAnyPolicy1subCA1Cert, inhibitAnyPolicyTest3EE.
    #[test]
    fn pkits_4_12_3_2() {
        check(
            &[c("P1").rep(0).iap(1), c("any"), c("P1")],
            inputs("any", false, false, true),
            None,
        );
    }

    /// PKITS 4.12.4 Invalid inhibitAnyPolicy Test4: inhibitAnyPolicy1CACert, inhibitAnyPolicy1subCA1Cert, InvalidinhibitAnyPolicyTest4EE.
    #[test]
    fn pkits_4_12_4() {
        check(
            &[c("P1").rep(0).iap(1), c("any"), c("any")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.12.5 Invalid inhibitAnyPolicy Test5: inhibitAnyPolicy5CACert, inhibitAnyPolicy5subCACert, inhibitAnyPolicy5subsubCACert, InvalidinhibitAnyPolicyTest5EE.
    #[test]
    fn pkits_4_12_5() {
        check(
            &[c("P1").rep(0).iap(5), c("P1").iap(1), c("P1"), c("any")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.12.6 Invalid inhibitAnyPolicy Test6: inhibitAnyPolicy1CACert, inhibitAnyPolicy1subCAIAP5Cert, InvalidinhibitAnyPolicyTest6EE.
    #[test]
    fn pkits_4_12_6() {
        check(
            &[c("P1").rep(0).iap(1), c("P1").iap(5), c("any")],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.12.7 Valid Self-Issued inhibitAnyPolicy Test7: inhibitAnyPolicy1CACert, inhibitAnyPolicy1SelfIssuedCACert, inhibitAnyPolicy1subCA2Cert, ValidSelfIssuedinhibitAnyPolicyTest7EE.
    #[test]
    fn pkits_4_12_7() {
        check(
            &[c("P1").rep(0).iap(1), c("P1").si(), c("any"), c("P1")],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.12.8 Invalid Self-Issued inhibitAnyPolicy Test8: inhibitAnyPolicy1CACert, inhibitAnyPolicy1SelfIssuedCACert, inhibitAnyPolicy1subCA2Cert, inhibitAnyPolicy1subsubCA2Cert, InvalidSelfIssuedinhibitAnyPolicyTest8EE.
    #[test]
    fn pkits_4_12_8() {
        check(
            &[
                c("P1").rep(0).iap(1),
                c("P1").si(),
                c("any"),
                c("any"),
                c("P1"),
            ],
            inputs("any", false, false, false),
            None,
        );
    }

    /// PKITS 4.12.9 Valid Self-Issued inhibitAnyPolicy Test9: inhibitAnyPolicy1CACert, inhibitAnyPolicy1SelfIssuedCACert, inhibitAnyPolicy1subCA2Cert, inhibitAnyPolicy1SelfIssuedsubCA2Cert, ValidSelfIssuedinhibitAnyPolicyTest9EE.
    #[test]
    fn pkits_4_12_9() {
        check(
            &[
                c("P1").rep(0).iap(1),
                c("P1").si(),
                c("any"),
                c("any").si(),
                c("P1"),
            ],
            inputs("any", false, false, false),
            Some("P1"),
        );
    }

    /// PKITS 4.12.10 Invalid Self-Issued inhibitAnyPolicy Test10: inhibitAnyPolicy1CACert, inhibitAnyPolicy1SelfIssuedCACert, inhibitAnyPolicy1subCA2Cert, InvalidSelfIssuedinhibitAnyPolicyTest10EE.
    #[test]
    fn pkits_4_12_10() {
        check(
            &[c("P1").rep(0).iap(1), c("P1").si(), c("any"), c("any").si()],
            inputs("any", false, false, false),
            None,
        );
    }
}

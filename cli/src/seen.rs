//! What the core's whole-site check has seen, in hash tables: each value is looked up in
//! O(1), so checking a site takes time linear in its size, in little memory. A node's id is
//! kept as its offset in the document (4 bytes, and 5 a slot in the table of ids), a MAC
//! and its node in 11 bytes a slot: 100,000 nodes of two MACs take about 4.5 MB. Each table
//! is split in [`SHARDS`] parts that grow one at a time, so growing never holds a whole
//! table twice.

use hashbrown::hash_table::Entry;
use hashbrown::{DefaultHashBuilder, HashTable};
use ipxegen_core::site::{Holder, SeenFull, SeenValues, Unique};
use std::hash::BuildHasher;

/// How many parts each table is split into.
const SHARDS: usize = 16;

/// Set in a [`NodeIds::by_node`] entry that indexes `NodeIds::others`, not the document.
const OTHER: u32 = 1 << 31;
/// A [`NodeIds::by_node`] entry of a node index that gave no value.
const NONE: u32 = u32::MAX;

/// Each node's id, by node index, in 4 bytes a node.
struct NodeIds<'a> {
    /// The document the site was read from.
    doc: &'a [u8],
    /// The offset of each node's id in `doc` (ids are slices of the document), or
    /// `OTHER | i` for `others[i]`, or `NONE`.
    by_node: Vec<u32>,
    /// Ids that are not slices of `doc` (none, for the reader's nodes).
    others: Vec<&'a str>,
}

impl<'a> NodeIds<'a> {
    /// Records that node `holder.node` is called `holder.id` (once per node).
    fn record(&mut self, holder: Holder<'a>) {
        let Ok(index) = usize::try_from(holder.node) else {
            return;
        };
        if self.by_node.get(index).is_some_and(|&at| at != NONE) {
            return;
        }
        let at = self.reference(holder.id);
        if self.by_node.len() <= index {
            self.by_node.resize(index.saturating_add(1), NONE);
        }
        if let Some(slot) = self.by_node.get_mut(index) {
            *slot = at;
        }
    }

    /// How `id` is kept: its offset in the document, or an index of `others`.
    fn reference(&mut self, id: &'a str) -> u32 {
        let offset = id.as_ptr().addr().checked_sub(self.doc.as_ptr().addr());
        let in_doc = offset.filter(|&at| {
            at.checked_add(id.len())
                .and_then(|end| self.doc.get(at..end))
                .is_some_and(|bytes| bytes == id.as_bytes())
                && self.doc.get(at.saturating_add(id.len())) == Some(&b'"')
        });
        match in_doc
            .and_then(|at| u32::try_from(at).ok())
            .filter(|at| at & OTHER == 0)
        {
            Some(at) => at,
            None => {
                let index = u32::try_from(self.others.len()).unwrap_or(NONE) | OTHER;
                self.others.push(id);
                index
            }
        }
    }

    /// The id node `node` was recorded with (`""` if none).
    fn of(&self, node: u32) -> &'a str {
        match usize::try_from(node).ok().and_then(|i| self.by_node.get(i)) {
            None | Some(&NONE) => "",
            Some(&at) if at & OTHER != 0 => usize::try_from(at & !OTHER)
                .ok()
                .and_then(|i| self.others.get(i))
                .copied()
                .unwrap_or_default(),
            Some(&at) => {
                // An id in the document ends at the next quote (it was recorded so).
                let rest = usize::try_from(at)
                    .ok()
                    .and_then(|at| self.doc.get(at..))
                    .unwrap_or_default();
                let len = rest.iter().position(|&b| b == b'"').unwrap_or(0);
                rest.get(..len)
                    .and_then(|id| std::str::from_utf8(id).ok())
                    .unwrap_or_default()
            }
        }
    }
}

/// A hash table in [`SHARDS`] parts, of values that each hold a key and a node index.
struct Table<T> {
    shards: [HashTable<T>; SHARDS],
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            shards: std::array::from_fn(|_| HashTable::new()),
        }
    }
}

impl<T: Copy> Table<T> {
    /// The value whose key hashes to `hash` and for which `is_key` holds, if there is one;
    /// else `value` is inserted. `rehash` gives the hash of a value's key.
    fn first_or_insert(
        &mut self,
        hash: u64,
        is_key: impl FnMut(&T) -> bool,
        rehash: impl Fn(&T) -> u64,
        value: T,
    ) -> Option<T> {
        // Bits that neither the bucket index (low bits) nor the tag (top 7) use.
        let shard = usize::try_from((hash >> 40) % 16).unwrap_or(0);
        let table = self.shards.get_mut(shard)?;
        match table.entry(hash, is_key, rehash) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(value);
                None
            }
        }
    }
}

/// A key of `K` bytes and a node index (little-endian), packed.
fn packed<const K: usize, const P: usize>(key: [u8; K], node: u32) -> [u8; P] {
    const { assert!(P == K + 4, "a packed value holds its key and a u32") };
    let mut out = [0; P];
    for (o, b) in out
        .iter_mut()
        .zip(key.into_iter().chain(node.to_le_bytes()))
    {
        *o = b;
    }
    out
}

/// The key and node index of a [`packed`] value.
fn unpacked<const K: usize, const P: usize>(value: &[u8; P]) -> ([u8; K], u32) {
    let mut key = [0; K];
    let mut node = [0; 4];
    let (k, n) = value.split_at(K.min(P));
    key.iter_mut().zip(k).for_each(|(o, b)| *o = *b);
    node.iter_mut().zip(n).for_each(|(o, b)| *o = *b);
    (key, u32::from_le_bytes(node))
}

/// Every id, MAC, reserved address and system UUID met so far, with the node that had it first.
pub struct SeenMaps<'a> {
    names: NodeIds<'a>,
    /// The ids met: the index of the node that has each one, hashed by the id.
    ids: Table<u32>,
    macs: Table<[u8; 10]>,
    ipv4: Table<[u8; 8]>,
    ipv6: Table<[u8; 20]>,
    uuids: Table<[u8; 20]>,
    hasher: DefaultHashBuilder,
}

impl<'a> SeenMaps<'a> {
    /// The node that had the `K`-byte key first, or `None` after recording `node` as its
    /// holder, in `table`.
    fn first_with<const K: usize, const P: usize>(
        table: &mut Table<[u8; P]>,
        hasher: &DefaultHashBuilder,
        key: [u8; K],
        node: u32,
    ) -> Option<u32> {
        let hash = |key: &[u8; K]| hasher.hash_one(key);
        let first = table.first_or_insert(
            hash(&key),
            |v| unpacked::<K, P>(v).0 == key,
            |v| hash(&unpacked::<K, P>(v).0),
            packed(key, node),
        )?;
        Some(unpacked::<K, P>(&first).1)
    }
}

impl<'a> SeenMaps<'a> {
    /// Nothing seen yet, for the nodes of `doc`.
    pub fn new(doc: &'a [u8]) -> Self {
        SeenMaps {
            names: NodeIds {
                doc,
                by_node: Vec::new(),
                others: Vec::new(),
            },
            ids: Table::default(),
            macs: Table::default(),
            ipv4: Table::default(),
            ipv6: Table::default(),
            uuids: Table::default(),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// The node that had `id` first, or `None` after recording `node` as its holder.
    fn first_with_id(&mut self, id: &str, node: u32) -> Option<u32> {
        let (names, hasher) = (&self.names, &self.hasher);
        let is_id = |n: &u32| names.of(*n) == id;
        let rehash = |n: &u32| hasher.hash_one(names.of(*n));
        self.ids
            .first_or_insert(hasher.hash_one(id), is_id, rehash, node)
    }
}

impl<'a> SeenValues<'a> for SeenMaps<'a> {
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull> {
        self.names.record(holder);
        let node = holder.node;
        let first = match value {
            Unique::Id(id) => self.first_with_id(id, node),
            Unique::Mac(mac) => Self::first_with(&mut self.macs, &self.hasher, mac.0, node),
            Unique::Ipv4(a) => Self::first_with(&mut self.ipv4, &self.hasher, a.octets(), node),
            Unique::Ipv6(a) => Self::first_with(&mut self.ipv6, &self.hasher, a.octets(), node),
            Unique::SystemUuid(u) => Self::first_with(&mut self.uuids, &self.hasher, u.0, node),
        };
        Ok(first.map(|node| Holder {
            node,
            id: self.names.of(node),
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test")]
mod tests {
    use super::*;
    use ipxegen_core::model::{MacAddr, SystemUuid};
    use std::net::{Ipv4Addr, Ipv6Addr};

    const DOC: &str = r#"{"nodes": [{"id": "a"}, {"id": "bb"}, {"id": "c"}]}"#;

    fn id_in_doc(id: &str) -> &'static str {
        let at = DOC.find(&format!("\"{id}\"")).unwrap() + 1;
        &DOC[at..at + id.len()]
    }

    fn first<'a>(
        seen: &mut SeenMaps<'a>,
        value: Unique<'a>,
        node: u32,
        id: &'a str,
    ) -> Option<Holder<'a>> {
        seen.first_holder(value, Holder { node, id }).unwrap()
    }

    #[test]
    fn finds_the_first_holder_of_each_kind_of_value() {
        let mut seen = SeenMaps::new(DOC.as_bytes());
        let (a, bb, c) = (id_in_doc("a"), id_in_doc("bb"), id_in_doc("c"));
        let mac = Unique::Mac(MacAddr([2, 0, 0, 0, 0, 1]));
        let v4 = Unique::Ipv4(Ipv4Addr::new(192, 0, 2, 7));
        let v6 = Unique::Ipv6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7));
        // The same 16 bytes as the address: the tables are apart.
        let uuid = Unique::SystemUuid(SystemUuid(
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7).octets(),
        ));
        for value in [Unique::Id(a), mac, v4, v6, uuid] {
            assert_eq!(first(&mut seen, value, 0, a), None);
        }
        assert_eq!(first(&mut seen, Unique::Id(bb), 1, bb), None);
        // Node 3 skipped a number (node 2 could not be read): ids still resolve.
        for value in [mac, v4, v6, uuid] {
            let holder = first(&mut seen, value, 3, c).unwrap();
            assert_eq!((holder.node, holder.id), (0, "a"));
        }
        let holder = first(&mut seen, Unique::Id(id_in_doc("bb")), 3, c).unwrap();
        assert_eq!((holder.node, holder.id), (1, "bb"));
        assert_eq!(
            first(&mut seen, Unique::Mac(MacAddr([2, 0, 0, 0, 0, 2])), 3, c),
            None
        );
    }

    #[test]
    fn keeps_ids_that_are_not_in_the_document() {
        let mut seen = SeenMaps::new(DOC.as_bytes());
        let owned = String::from("x-1");
        let elsewhere: &str = &owned;
        assert_eq!(first(&mut seen, Unique::Id(elsewhere), 0, elsewhere), None);
        let mac = Unique::Mac(MacAddr([2, 0, 0, 0, 0, 9]));
        assert_eq!(first(&mut seen, mac, 0, elsewhere), None);
        let holder = first(&mut seen, mac, 5, id_in_doc("c")).unwrap();
        assert_eq!((holder.node, holder.id), (0, "x-1"));
        assert!(first(&mut seen, Unique::Id("x-1"), 6, "x-1").is_some());
    }

    #[test]
    fn many_values_across_every_shard() {
        let mut seen = SeenMaps::new(DOC.as_bytes());
        let a = id_in_doc("a");
        for i in 0..5000u32 {
            let [_, b, c, d] = i.to_be_bytes();
            let mac = Unique::Mac(MacAddr([2, 0, 0, b, c, d]));
            assert_eq!(first(&mut seen, mac, i, a), None);
        }
        for i in 0..5000u32 {
            let [_, b, c, d] = i.to_be_bytes();
            let mac = Unique::Mac(MacAddr([2, 0, 0, b, c, d]));
            assert_eq!(first(&mut seen, mac, 9999, a).map(|h| h.node), Some(i));
        }
    }
}

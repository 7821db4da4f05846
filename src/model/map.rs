//! [`Map`]: the string-keyed map of objects and attributes, a vector of entries kept sorted by
//! key.
//!
//! It iterates in key order like `BTreeMap` (Terraform's `jsonencode` and `keys()` sort keys)
//! but holds its entries in one allocation of exactly the needed size: a `BTreeMap` allocates a
//! node for eleven entries however few it holds, and a plan of 100 MB is mostly small objects
//! (tags, rules, nested blocks), so the model was three times the size of the plan.
//! Lookups are binary searches; building from an iterator sorts once.

use compact_str::CompactString;

/// Keys are stored inline when they are at most 24 bytes long (nearly every attribute name and
/// map key), so a key costs no allocation of its own.
pub type Key = CompactString;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Map<V> {
    entries: Vec<(Key, V)>,
}

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map { entries: Vec::new() }
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for Map<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> Map<V> {
    pub fn new() -> Self {
        Map { entries: Vec::new() }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.find(key).ok().map(move |i| &mut self.entries[i].1)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&str, &V)> {
        self.find(key)
            .ok()
            .map(|i| (self.entries[i].0.as_str(), &self.entries[i].1))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Insert or replace; the old value if there was one.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        self.insert_key(Key::from(key), value)
    }

    /// [`Map::insert`] with a key that is already a [`Key`] (no `String` made on the way).
    pub fn insert_key(&mut self, key: Key, value: V) -> Option<V> {
        match self.find(key.as_str()) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The value at `key`, inserted by `make` when absent.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (Key::from(key), make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// `BTreeMap`-style entry: `map.entry(k).or_insert_with(f)`.
    pub fn entry(&mut self, key: impl Into<Key>) -> Entry<'_, V> {
        Entry {
            map: self,
            key: key.into(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&str, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = String> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k.into_string())
    }

    pub fn first_key_value(&self) -> Option<(&str, &V)> {
        self.entries.first().map(|(k, v)| (k.as_str(), v))
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k.as_str(), v));
    }
}

pub struct Entry<'m, V> {
    map: &'m mut Map<V>,
    key: Key,
}

impl<'m, V> Entry<'m, V> {
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'m mut V {
        let i = match self.map.find(self.key.as_str()) {
            Ok(i) => i,
            Err(i) => {
                self.map.entries.insert(i, (self.key, make()));
                i
            }
        };
        &mut self.map.entries[i].1
    }

    pub fn or_insert(self, v: V) -> &'m mut V {
        self.or_insert_with(|| v)
    }

    pub fn or_default(self) -> &'m mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<K: Into<Key>, V> FromIterator<(K, V)> for Map<V> {
    /// Sorted once; of equal keys the last wins, as with repeated `insert`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut entries: Vec<(Key, V)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, earlier| later.0 == earlier.0);
        entries.shrink_to_fit();
        Map { entries }
    }
}

impl<K: Into<Key>, V> Extend<(K, V)> for Map<V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert_key(k.into(), v);
        }
    }
}

impl<V> IntoIterator for Map<V> {
    type Item = (String, V);
    type IntoIter = std::iter::Map<std::vec::IntoIter<(Key, V)>, fn((Key, V)) -> (String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair<V>((k, v): (Key, V)) -> (String, V) {
            (k.into_string(), v)
        }
        self.entries.into_iter().map(pair as fn((Key, V)) -> (String, V))
    }
}

impl<'a, V> IntoIterator for &'a Map<V> {
    type Item = (&'a str, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (Key, V)>, fn(&'a (Key, V)) -> (&'a str, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair<V>((k, v): &(Key, V)) -> (&str, &V) {
            (k.as_str(), v)
        }
        self.entries.iter().map(pair as fn(&'a (Key, V)) -> (&'a str, &'a V))
    }
}

impl<K: Into<Key>, V, const N: usize> From<[(K, V); N]> for Map<V> {
    fn from(a: [(K, V); N]) -> Self {
        a.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_last_wins() {
        let mut m: Map<i32> = [("b".to_string(), 1), ("a".to_string(), 2), ("b".to_string(), 3)]
            .into_iter()
            .collect();
        assert_eq!(m.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(m.get("b"), Some(&3));
        assert_eq!(m.insert("c".into(), 4), None);
        assert_eq!(m.insert("a".into(), 5), Some(2));
        assert_eq!(m.remove("b"), Some(3));
        assert_eq!(
            m.iter().map(|(k, v)| format!("{k}{v}")).collect::<Vec<_>>(),
            vec!["a5", "c4"]
        );
        *m.get_or_insert_with("0", || 9) += 1;
        assert_eq!(m.first_key_value(), Some(("0", &10)));
        assert!(m.contains_key("c") && !m.contains_key("b"));
        assert_eq!(m.len(), 3);
    }
}

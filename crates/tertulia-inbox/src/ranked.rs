//! The ranked index: an indexed max-heap of rank keys, addressed by `u32` slots.
//!
//! Three flat arrays and nothing else: `keys[slot]`, `heap[position] = slot` and
//! `positions[slot]`. Inserting, re-keying or removing one item is one sift of
//! `O(log n)` swaps in place (about twenty levels for a million items); the top `k` are read
//! with a best-first walk of the heap that touches `O(k log k)` entries and never mutates
//! it. Memory is 16 bytes per slot (8 key, 4 heap entry, 4 position), counted exactly by
//! [`RankedIndex::heap_bytes`].

use std::collections::BinaryHeap;

/// A slot in the index: the handle of one ranked item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(pub u32);

const VACANT: u32 = u32::MAX;

/// Items ranked by an `i64` key, highest first.
///
/// ```
/// use tertulia_inbox::RankedIndex;
/// let mut index = RankedIndex::default();
/// let a = index.insert(10);
/// let b = index.insert(30);
/// let c = index.insert(20);
/// assert_eq!(index.top(2).map(|(slot, _)| slot).collect::<Vec<_>>(), [b, c]);
/// index.update(a, 40);
/// index.remove(b);
/// assert_eq!(index.top(5).map(|(slot, key)| (slot, key)).collect::<Vec<_>>(), [(a, 40), (c, 20)]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct RankedIndex {
    keys: Vec<i64>,
    positions: Vec<u32>,
    heap: Vec<u32>,
    free: Vec<u32>,
}

impl RankedIndex {
    /// An index with room for `capacity` items before it grows.
    pub fn with_capacity(capacity: usize) -> Self {
        RankedIndex {
            keys: Vec::with_capacity(capacity),
            positions: Vec::with_capacity(capacity),
            heap: Vec::with_capacity(capacity),
            free: Vec::new(),
        }
    }

    /// Builds an index of many keys at once (slot `i` holds `keys[i]`), in linear time.
    pub fn from_keys(keys: Vec<i64>) -> Self {
        let n = keys.len();
        let mut index =
            RankedIndex { keys, positions: (0..n as u32).collect(), heap: (0..n as u32).collect(), free: Vec::new() };
        for position in (0..n / 2).rev() {
            index.sift_down(position);
        }
        index
    }

    /// How many items are ranked.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is ranked.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Ranks a new item; returns its slot (a freed slot is reused).
    pub fn insert(&mut self, key: i64) -> Slot {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.keys[slot as usize] = key;
                slot
            }
            None => {
                self.keys.push(key);
                self.positions.push(VACANT);
                (self.keys.len() - 1) as u32
            }
        };
        let position = self.heap.len();
        self.heap.push(slot);
        self.positions[slot as usize] = position as u32;
        self.sift_up(position);
        Slot(slot)
    }

    /// Changes an item's key; returns `false` if the slot holds nothing.
    pub fn update(&mut self, slot: Slot, key: i64) -> bool {
        let Some(position) = self.position(slot) else { return false };
        let old = std::mem::replace(&mut self.keys[slot.0 as usize], key);
        if key > old {
            self.sift_up(position);
        } else {
            self.sift_down(position);
        }
        true
    }

    /// Removes an item; returns its key, or `None` if the slot holds nothing.
    pub fn remove(&mut self, slot: Slot) -> Option<i64> {
        let position = self.position(slot)?;
        let last = self.heap.len() - 1;
        self.swap(position, last);
        self.heap.pop();
        self.positions[slot.0 as usize] = VACANT;
        self.free.push(slot.0);
        if position < self.heap.len() {
            self.sift_down(position);
            self.sift_up(position);
        }
        Some(self.keys[slot.0 as usize])
    }

    /// The key of a ranked item.
    pub fn key(&self, slot: Slot) -> Option<i64> {
        self.position(slot).map(|_| self.keys[slot.0 as usize])
    }

    /// The `k` highest items, highest first, without changing the index.
    pub fn top(&self, k: usize) -> impl Iterator<Item = (Slot, i64)> + '_ {
        let mut frontier = BinaryHeap::with_capacity(k.min(self.heap.len()) * 2 + 1);
        if !self.heap.is_empty() && k > 0 {
            frontier.push((self.keys[self.heap[0] as usize], std::cmp::Reverse(0u32)));
        }
        let mut left = k;
        std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let (key, std::cmp::Reverse(position)) = frontier.pop()?;
            left -= 1;
            for child in [2 * position as usize + 1, 2 * position as usize + 2] {
                if let Some(slot) = self.heap.get(child) {
                    frontier.push((self.keys[*slot as usize], std::cmp::Reverse(child as u32)));
                }
            }
            Some((Slot(self.heap[position as usize]), key))
        })
    }

    /// Bytes the index holds on the heap (allocated capacity of its arrays).
    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * size_of::<i64>()
            + (self.positions.capacity() + self.heap.capacity() + self.free.capacity()) * size_of::<u32>()
    }

    fn position(&self, slot: Slot) -> Option<usize> {
        let position = *self.positions.get(slot.0 as usize)?;
        (position != VACANT).then_some(position as usize)
    }

    fn key_at(&self, position: usize) -> i64 {
        self.keys[self.heap[position] as usize]
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        self.positions[self.heap[a] as usize] = a as u32;
        self.positions[self.heap[b] as usize] = b as u32;
    }

    fn sift_up(&mut self, mut position: usize) {
        while position > 0 {
            let parent = (position - 1) / 2;
            if self.key_at(parent) >= self.key_at(position) {
                break;
            }
            self.swap(parent, position);
            position = parent;
        }
    }

    fn sift_down(&mut self, mut position: usize) {
        let n = self.heap.len();
        loop {
            let left = 2 * position + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.key_at(right) > self.key_at(left) { right } else { left };
            if self.key_at(position) >= self.key_at(child) {
                break;
            }
            self.swap(position, child);
            position = child;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference ranking, to compare against after random operations.
    fn sorted(reference: &[(u32, i64)]) -> Vec<i64> {
        let mut keys: Vec<i64> = reference.iter().map(|(_, k)| *k).collect();
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys
    }

    #[test]
    fn agrees_with_a_sorted_list_through_random_operations() {
        // A fixed linear congruential sequence: deterministic, no RNG dependency.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as i64
        };
        let mut index = RankedIndex::from_keys((0..500).map(|_| next() % 1000).collect());
        let mut reference: Vec<(u32, i64)> = (0..500u32).map(|s| (s, index.key(Slot(s)).unwrap())).collect();
        for round in 0..5000 {
            match next() % 3 {
                0 => {
                    let key = next() % 1000;
                    let slot = index.insert(key);
                    reference.push((slot.0, key));
                }
                1 if !reference.is_empty() => {
                    let at = (next() as usize) % reference.len();
                    let key = next() % 1000;
                    assert!(index.update(Slot(reference[at].0), key));
                    reference[at].1 = key;
                }
                _ if !reference.is_empty() => {
                    let at = (next() as usize) % reference.len();
                    let (slot, key) = reference.swap_remove(at);
                    assert_eq!(index.remove(Slot(slot)), Some(key));
                    assert_eq!(index.remove(Slot(slot)), None);
                }
                _ => {}
            }
            if round % 500 == 0 {
                let top: Vec<i64> = index.top(50).map(|(_, k)| k).collect();
                assert_eq!(top, sorted(&reference).into_iter().take(50).collect::<Vec<_>>());
            }
        }
        assert_eq!(index.len(), reference.len());
        assert_eq!(index.top(usize::MAX).count(), reference.len());
    }
}

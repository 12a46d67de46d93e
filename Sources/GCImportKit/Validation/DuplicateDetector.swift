// Duplicate natural keys (user email, deal number) in files of any size, in fixed memory.
//
// A Set of every key grows with the file (5M emails ≈ 400 MB of Strings). Instead pass 1 puts a 64-bit hash
// of each key into a *blocked* Bloom filter of bounded size (at most 32 MiB, sized from the file's estimated
// rows) (all probes of a key fall in one 64-byte cache line,
// so a row costs one cache miss, not eight); a key the filter may already have seen becomes a *candidate*
// (its hash goes into a small set). Only when candidates exist does a second pass re-read the file and
// collect exact keys and lines for candidate hashes alone, so memory follows the number of duplicates, not
// the number of rows. The second pass stops at the last candidate row: every later repeat of a key would
// itself have been a candidate. At ~50 bits per key (5M keys) false candidates are expected well under one per file,
// so a clean file costs one pass; a file with duplicates costs a second read that computes only the keys.

import CPrefetch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The bounded first pass: which key hashes might repeat. Its bits live in a shared object, so a copy
/// of a detector shares them (the dry run keeps one detector and never copies it).
struct DuplicateDetector {
    /// 2^19 blocks of 512 bits = 32 MiB.
    static let blockCount = 1 << 19
    /// 16 bits per key, all in the key's 64-byte block: at 5M keys (~10 per block) 8 probes still let
    /// a few distinct keys through as candidates, 16 none in our runs.
    static let probes = 16

    private let storage: FilterStorage
    private let blockMask: UInt64
    private(set) var candidates: Set<UInt64> = []

    /// Blocks for about `keys` distinct keys: ten keys a block at most (as 5M keys fill the largest
    /// filter), a power of two from 4,096 blocks (256 KiB) to `blockCount` (32 MiB).
    static func blockCount(forKeys keys: Int) -> Int {
        let wanted = max(keys, 1) / 10 + 1
        return min(blockCount, max(1 << 12, 1 << (Int.bitWidth - (wanted - 1).leadingZeroBitCount)))
    }

    init(blockCount: Int = DuplicateDetector.blockCount) {
        precondition(blockCount.nonzeroBitCount == 1, "block count must be a power of two")
        storage = FilterStorage(words: blockCount * 8)
        blockMask = UInt64(blockCount - 1)
    }

    /// Records `key`; remembers its hash as a candidate when the filter says it may have been seen before,
    /// and returns whether it did.
    @discardableResult
    mutating func insert(_ key: String) -> Bool {
        insert(hash: Self.hash(key))
    }

    /// Asks the processor to fetch `hash`'s block, so that a later `insert(hash:)` finds it in the cache:
    /// the caller prefetches a few keys ahead, and those misses overlap instead of stalling one by one.
    @inline(__always)
    func prefetch(hash: UInt64) {
        gcimport_prefetch_for_write(storage.words + Int(hash & blockMask) * 8)
    }

    /// `insert` for a key already hashed with `hash(_:)` (the dry run hashes on its worker threads).
    @discardableResult
    mutating func insert(hash: UInt64) -> Bool {
        let base = Int(hash & blockMask) * 8
        // Each probe takes its own 9 bits of remixes of the hash (7 probes per 64-bit remix), independent of
        // the block index. Deriving them all from one start and step (double hashing) gave them 18 bits in
        // all, and 17 false candidates in a million distinct emails.
        var seed = hash
        var pool: UInt64 = 0
        var seen = true
        let block = storage.words
        for probe in 0..<Self.probes {
            if probe % 7 == 0 {
                seed = Self.remix(seed)
                pool = seed
            }
            let bit = Int(pool & 511)
            pool >>= 9
            let flag: UInt64 = 1 << UInt64(bit & 63)
            let word = base + bit >> 6
            if block[word] & flag == 0 {
                seen = false
                block[word] |= flag
            }
        }
        if seen { candidates.insert(hash) }
        return seen
    }

    /// The SplitMix64 finaliser: every output bit depends on every input bit.
    @inline(__always)
    private static func remix(_ value: UInt64) -> UInt64 {
        var mixed = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// 64-bit FNV-1a with a final avalanche (so the Bloom probes spread); stable across runs and machines.
    static func hash(_ key: String) -> UInt64 {
        // Over the contiguous bytes: iterating `key.utf8` cost ~30 instructions a byte, this ~5.
        var copy = key
        return copy.withUTF8(hash)
    }

    /// `hash` of a key's UTF-8 bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}

/// The filter's bits, in memory of their own: an anonymous mapping arrives zeroed (no 32 MiB memset), and
/// asking for 2 MiB pages lets the 32 MiB be covered by 16 TLB entries instead of 8,192, so a probe costs a
/// cache miss without a page walk on top (on a VM the walk is the larger part).
private final class FilterStorage {
    let words: UnsafeMutablePointer<UInt64>
    /// The mapping to unmap, or nil when the words came from the heap.
    private let mapping: UnsafeMutableRawPointer?
    private let bytes: Int

    init(words count: Int) {
        let hugePage = 2 << 20
        bytes = count * 8 + hugePage
        guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            mapped != MAP_FAILED
        else {
            // No mapping (an address-space limit, say): zeroed heap memory does the same job, only slower.
            mapping = nil
            words = .allocate(capacity: count)
            words.initialize(repeating: 0, count: count)
            return
        }
        mapping = mapped
        // The bits start on a 2 MiB boundary, so the kernel can back them with whole huge pages.
        let aligned = (Int(bitPattern: mapped) + hugePage - 1) & ~(hugePage - 1)
        let start = UnsafeMutableRawPointer(bitPattern: aligned) ?? mapped
        _ = madvise(start, count * 8, MADV_HUGEPAGE)  // only a hint; without it the filter still works
        words = start.bindMemory(to: UInt64.self, capacity: count)
    }

    deinit {
        if let mapping { munmap(mapping, bytes) } else { words.deallocate() }
    }
}

/// The second pass: exact keys and their lines, fed only the rows whose key hash is a candidate.
struct DuplicateCollector {
    /// Lines kept per key; the count stays exact beyond it.
    let linesKept: Int
    private var groups: [String: (count: Int, lines: [Int])] = [:]
    private var order: [String] = []

    init(linesKept: Int = 10) {
        self.linesKept = linesKept
    }

    mutating func add(_ key: String, line: Int) {
        if var group = groups[key] {
            group.count += 1
            if group.lines.count < linesKept { group.lines.append(line) }
            groups[key] = group
        } else {
            groups[key] = (1, [line])
            order.append(key)
        }
    }

    /// Keys seen more than once, in order of first appearance.
    var duplicates: [DuplicateGroup] {
        order.compactMap { key in
            guard let group = groups[key], group.count > 1 else { return nil }
            return DuplicateGroup(key: key, count: group.count, lines: group.lines)
        }
    }
}

/// One natural key that appears on several rows.
package struct DuplicateGroup: Sendable, Equatable {
    /// The normalised key (lowercased email, deal number, user id).
    var key: String
    /// How many valid rows carry it.
    var count: Int
    /// The first lines carrying it (at most 10).
    var lines: [Int]
}

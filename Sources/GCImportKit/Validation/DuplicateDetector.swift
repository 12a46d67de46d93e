// Duplicate natural keys (user email, deal number) in files of any size, in fixed memory.
//
// A Set of every key grows with the file (5M emails ≈ 400 MB of Strings). Instead pass 1 puts a 64-bit hash
// of each key into a fixed 32 MiB *blocked* Bloom filter (all probes of a key fall in one 64-byte cache line,
// so a row costs one cache miss, not eight); a key the filter may already have seen becomes a *candidate*
// (its hash goes into a small set). Only when candidates exist does a second pass re-read the file and
// collect exact keys and lines for candidate hashes alone, so memory follows the number of duplicates, not
// the number of rows. The second pass stops at the last candidate row: every later repeat of a key would
// itself have been a candidate. At ~50 bits per key (5M keys) false candidates are expected well under one per file,
// so a clean file costs one pass; a file with duplicates costs a second read that computes only the keys.

/// The fixed-size first pass: which key hashes might repeat.
struct DuplicateDetector {
    /// 2^19 blocks of 512 bits = 32 MiB.
    static let blockCount = 1 << 19
    static let probes = 8

    private var words: [UInt64]
    private let blockMask: UInt64
    private(set) var candidates: Set<UInt64> = []

    init(blockCount: Int = DuplicateDetector.blockCount) {
        precondition(blockCount.nonzeroBitCount == 1, "block count must be a power of two")
        words = [UInt64](repeating: 0, count: blockCount * 8)
        blockMask = UInt64(blockCount - 1)
    }

    /// Records `key`; remembers its hash as a candidate when the filter says it may have been seen before,
    /// and returns whether it did.
    @discardableResult
    mutating func insert(_ key: String) -> Bool {
        let hash = Self.hash(key)
        let base = Int(hash & blockMask) * 8
        // Probe positions inside the block come from a remix of the hash, so they do not share bits with
        // the block index (double hashing).
        let mixed = (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
        var probe = mixed >> 32
        let step = (mixed >> 7) | 1
        var seen = true
        words.withUnsafeMutableBufferPointer { block in
            for _ in 0..<Self.probes {
                let bit = Int(probe & 511)
                let flag: UInt64 = 1 << UInt64(bit & 63)
                let word = base + bit >> 6
                if block[word] & flag == 0 {
                    seen = false
                    block[word] |= flag
                }
                probe &+= step
            }
        }
        if seen { candidates.insert(hash) }
        return seen
    }

    /// 64-bit FNV-1a with a final avalanche (so the Bloom probes spread); stable across runs and machines.
    static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        // Over the contiguous bytes: iterating `key.utf8` cost ~30 instructions a byte, this ~5.
        var copy = key
        copy.withUTF8 { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}

/// The second pass: exact keys and their lines, for candidate hashes only.
struct DuplicateCollector {
    let candidates: Set<UInt64>
    /// Lines kept per key; the count stays exact beyond it.
    let linesKept: Int
    private var groups: [String: (count: Int, lines: [Int])] = [:]
    private var order: [String] = []

    init(candidates: Set<UInt64>, linesKept: Int = 10) {
        self.candidates = candidates
        self.linesKept = linesKept
    }

    /// Whether `key` needs a look in the second pass.
    func isCandidate(_ key: String) -> Bool { candidates.contains(DuplicateDetector.hash(key)) }

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
public struct DuplicateGroup: Sendable, Equatable {
    /// The normalised key (lowercased email, deal number, user id).
    public var key: String
    /// How many valid rows carry it.
    public var count: Int
    /// The first lines carrying it (at most 10).
    public var lines: [Int]
}

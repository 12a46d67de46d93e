// Copies of a few bytes, inlined: the reader's fields and the payload's values are mostly shorter than 16
// bytes, where a call to memmove costs more than the copy.

package enum ByteCopy {
    /// Copies `count` bytes from `source` to `target` (regions that do not overlap).
    @inlinable @inline(__always)
    package static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        if count >= 8 && count <= 16 {
            // Two 8-byte moves that overlap in the middle cover any length from 8 to 16.
            let head = UnsafeRawPointer(source).loadUnaligned(as: UInt64.self)
            let tail = UnsafeRawPointer(source + count - 8).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(target).storeBytes(of: head, as: UInt64.self)
            UnsafeMutableRawPointer(target + count - 8).storeBytes(of: tail, as: UInt64.self)
        } else if count < 8 {
            for index in 0..<count { target[index] = source[index] }
        } else {
            target.update(from: source, count: count)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only file descriptor with the few POSIX calls the reader needs: chunked reads, positioned reads
/// for sniffing, and seeking back when a broken quote forces a re-read.
///
/// Plain POSIX instead of `FileHandle`: typed errors with errno text, no Foundation on the hot path.
final class InputFile {
    let path: String
    private let descriptor: Int32
    /// Whether the input can be re-read from an earlier offset (regular files; not pipes).
    let isSeekable: Bool
    /// Bytes in a regular file when it was opened; nil for pipes.
    let size: Int?

    init(path: String) throws(CSVReadError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CSVReadError(path: path, message: Self.describe(errno, doing: "cannot open the file"))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw CSVReadError(path: path, message: Self.describe(code, doing: "cannot stat the file"))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CSVReadError(path: path, message: "is a directory, not a CSV file; give the path of a file")
        }
        descriptor = fd
        isSeekable = (info.st_mode & S_IFMT) == S_IFREG
        size = isSeekable ? Int(info.st_size) : nil
    }

    deinit {
        close(descriptor)
    }

    /// A buffer size for reading the file: `limit`, or less when the whole file fits in less (a small file
    /// then costs no large allocation). One byte more than the file, so the first read already sees its end.
    func bufferSize(upTo limit: Int) -> Int {
        guard let size else { return limit }
        return min(limit, max(size + 1, 4096))
    }

    // MARK: Reading

    /// Reads up to `count` bytes at the current offset; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(CSVReadError) -> Int {
        while true {
            let got = posixRead(descriptor, buffer, count)
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw CSVReadError(path: path, message: Self.describe(errno, doing: "read failed"))
        }
    }

    /// Reads up to `count` bytes at `offset` without moving the current offset (used to sniff).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(CSVReadError) -> Int {
        var total = 0
        while total < count {
            let got = pread(descriptor, buffer + total, count - total, off_t(offset + total))
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw CSVReadError(path: path, message: Self.describe(errno, doing: "read failed"))
            }
            total += got
        }
        return total
    }

    /// Moves the current offset; the caller checked `isSeekable`.
    func seek(to offset: Int) throws(CSVReadError) {
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw CSVReadError(path: path, message: Self.describe(errno, doing: "cannot seek"))
        }
    }

    // MARK: Errors

    private static func describe(_ code: Int32, doing what: String) -> String {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT: return "\(what): no such file; check the path"
        case EACCES, EPERM: return "\(what): permission denied; check the file's permissions"
        case EISDIR: return "is a directory, not a CSV file; give the path of a file"
        default: return "\(what): \(reason)"
        }
    }
}

/// `read` is shadowed by the method above inside the class.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Why a scan could not run. Each reads as one line naming the problem.
enum ScanError: Error, CustomStringConvertible {
    case notFound(String)
    case unreadable(String)
    case notScannable(String)
    case emptyRepository(String)
    case corruptRepository(String, String)
    case stdin(String)
    case binaryStdin
    /// An ignore file, baseline, configuration or history range that cannot be used (the whole reason).
    case invalid(String)

    var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file or directory"
        case .unreadable(let path): return "\(path): permission denied"
        case .notScannable(let path): return "\(path): not a git repository, directory or regular file"
        case .emptyRepository(let path): return "\(path): git repository has no commits and no files to scan"
        case .corruptRepository(let path, let why): return "\(path): repository is corrupt or unreadable: \(why)"
        case .stdin(let why): return "cannot read standard input: \(why)"
        case .invalid(let why): return why
        case .binaryStdin: return "standard input is binary (a NUL byte in its first 8 KiB); pass --include-binary to scan it"
        }
    }
}

import Testing

/// A bad input's result: one line on stderr naming the problem, exit status 2, nothing on stdout.
func expectOneLineError(_ result: ProcessResult, containing text: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 2, "status \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("keysweep: "), sourceLocation: sourceLocation)
    #expect(result.stderr.contains(text), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
}

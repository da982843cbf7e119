import Foundation
import Testing

/// Helpers of the CI and workflow tests (ranges, staged, hooks, suppressions, SARIF, gitleaks).
enum Workflow {
    /// The repository's Tests/ directory (schemas live there).
    static let testsDirectory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// Validates `json` against the official SARIF 2.1.0 schema with python3's jsonschema;
    /// returns the validator's complaint, or nil when valid.
    static func sarifSchemaErrors(_ json: String) throws -> String? {
        let dir = TempDirectory()
        dir.write("log.sarif", json)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            validator = jsonschema.validators.validator_for(schema)(schema)
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            for e in errors[:5]:
                print("/".join(map(str, e.path)), e.message[:300])
            sys.exit(1 if errors else 0)
            """
        let result = try Run.process("/usr/bin/env", ["python3", "-c", script,
                                                      testsDirectory + "/Schemas/sarif-schema-2.1.0.json", dir.file("log.sarif")])
        return result.status == 0 ? nil : (result.stdout + result.stderr)
    }

    static func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text.prefix(200))")
        }
        return object
    }
}

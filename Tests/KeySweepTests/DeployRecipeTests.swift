import Foundation
import Testing

/// The recipes of deploy/, as far as this machine allows: the Kubernetes manifests validated
/// offline against the Kubernetes schemas (`kubernetes-validate`, in .venv-test) and read for
/// what the recipe relies on; the GitHub Actions workflow parsed (no workflow linter installs
/// offline) and checked; the local simulation run end to end against a local organisation.
@Suite(.serialized) struct DeployRecipeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let manifests = ["namespace-and-storage.yaml", "scan-job.yaml", "merge-job.yaml"].map { "\(root)/deploy/kubernetes/\($0)" }

    /// The YAML documents of `file`, through PyYAML (the tests' venv), as JSON objects.
    static func documents(_ file: String) throws -> [[String: Any]] {
        let script = "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None], default=str))"
        let result = try Run.process("/usr/bin/env", ["python3", "-c", script, file])
        guard result.status == 0, let documents = try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]] else {
            throw TestFailure("cannot read \(file) as YAML: \(result.stderr)")
        }
        return documents
    }

    static func job(_ documents: [[String: Any]], named name: String) -> [String: Any]? {
        documents.first { $0["kind"] as? String == "Job" && ($0["metadata"] as? [String: Any])?["name"] as? String == name }
    }

    @Test func kubernetesManifestsValidateAgainstTheSchemas() throws {
        // The oldest version with backoffLimitPerIndex as beta (1.29) and the newest bundled.
        for version in ["1.29.0", "1.37.0"] {
            let result = try Run.process("/usr/bin/env", ["kubernetes-validate", "--strict", "--quiet", "-k", version] + Self.manifests)
            #expect(result.status == 0, "kubernetes \(version): \(result.stdout)\(result.stderr)")
        }
        // The validator is live: a misspelt field fails it.
        let dir = TempDirectory()
        let text = try String(contentsOfFile: Self.manifests[1], encoding: .utf8)
        dir.write("bad.yaml", text.replacingOccurrences(of: "completionMode: Indexed", with: "completionsMode: Indexed"))
        let bad = try Run.process("/usr/bin/env", ["kubernetes-validate", "--strict", "--quiet", "-k", "1.37.0", dir.file("bad.yaml")])
        #expect(bad.status != 0, "\(bad.stdout)")
    }

    @Test func indexedJobShardsAndMergeJobReadTheSameReports() throws {
        let scan = try #require(Self.job(try Self.documents(Self.manifests[1]), named: "keysweep-scan"))
        let spec = try #require(scan["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        #expect(spec["parallelism"] as? Int == completions)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let env = (container["env"] as? [[String: Any]]) ?? []
        func variable(_ name: String) -> [String: Any]? { env.first { $0["name"] as? String == name } }
        #expect(variable("KEYSWEEP_SHARDS")?["value"] as? String == String(completions))
        let token = (variable("KEYSWEEP_GITHUB_TOKEN")?["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any]
        #expect(token?["name"] as? String == "keysweep-github")
        let index = ((variable("JOB_COMPLETION_INDEX")?["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String
        #expect(index == "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        let command = ((container["args"] as? [String]) ?? []).joined(separator: " ")
        #expect(command.contains("keysweep scan") && command.contains("--shard auto") && command.contains("--format json"))
        #expect(command.contains("/reports/shard-$(JOB_COMPLETION_INDEX).json"))
        #expect(command.contains("|| test $? -eq 1"), "findings (exit 1) must not fail the shard")
        let resources = container["resources"] as? [String: Any]
        #expect((resources?["requests"] as? [String: Any])?["memory"] != nil)

        let documents = try Self.documents(Self.manifests[2])
        let merge = try #require(Self.job(documents, named: "keysweep-merge"))
        let mergePod = try #require(((merge["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let wait = ((mergePod["initContainers"] as? [[String: Any]])?.first?["args"] as? [String]) ?? []
        #expect(wait.contains("job/keysweep-scan") && wait.contains("--for=condition=complete"))
        let mergeCommand = (((mergePod["containers"] as? [[String: Any]])?.first?["args"] as? [String]) ?? []).joined(separator: " ")
        #expect(mergeCommand.contains("keysweep merge /reports/shard-*.json") && mergeCommand.contains("--format sarif"))
        func claim(_ pod: [String: Any]) -> String? {
            ((pod["volumes"] as? [[String: Any]])?.first { $0["name"] as? String == "reports" }?["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String
        }
        #expect(claim(pod) == "keysweep-reports" && claim(mergePod) == "keysweep-reports")
        let role = documents.first { $0["kind"] as? String == "Role" }
        let rule = (role?["rules"] as? [[String: Any]])?.first
        #expect((rule?["resources"] as? [String]) == ["jobs"])
        #expect(!((rule?["verbs"] as? [String]) ?? []).contains { ["create", "delete", "patch", "update"].contains($0) })
    }

    @Test func githubActionsWorkflowHasAShardMatrixAndAMergeThatUploadsSARIF() throws {
        let workflow = try #require(try Self.documents("\(Self.root)/deploy/github-actions/keysweep-org.yml").first)
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let scan = try #require(jobs["scan"] as? [String: Any])
        let strategy = try #require(scan["strategy"] as? [String: Any])
        #expect(strategy["fail-fast"] as? Bool == false)
        let shards = try #require((strategy["matrix"] as? [String: Any])?["shard"] as? [Int])
        #expect(shards == Array(0..<shards.count) && shards.count > 1)
        let steps = (scan["steps"] as? [[String: Any]]) ?? []
        let run = steps.compactMap { $0["run"] as? String }.joined(separator: "\n")
        #expect(run.contains("--shard \"${{ strategy.job-index }}/${{ strategy.job-total }}\""))
        #expect(run.contains("--format json") && run.contains("|| test $? -eq 1"))
        let token = steps.compactMap { ($0["env"] as? [String: Any])?["KEYSWEEP_GITHUB_TOKEN"] as? String }.first
        #expect(token == "${{ secrets.KEYSWEEP_GITHUB_TOKEN }}")

        let merge = try #require(jobs["merge"] as? [String: Any])
        #expect(((merge["needs"] as? [String]) ?? []).contains("scan"))
        #expect(merge["if"] as? String == "${{ !cancelled() }}")
        #expect((merge["permissions"] as? [String: Any])?["security-events"] as? String == "write")
        let mergeSteps = (merge["steps"] as? [[String: Any]]) ?? []
        #expect(mergeSteps.compactMap { $0["run"] as? String }.joined().contains("merge shard-*.json --format sarif -o keysweep.sarif"))
        let upload = mergeSteps.first { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif@") == true }
        #expect((upload?["with"] as? [String: Any])?["sarif_file"] as? String == "keysweep.sarif")
        let download = mergeSteps.first { ($0["with"] as? [String: Any])?["pattern"] as? String == "keysweep-shard-*" }
        #expect(download != nil)
    }

    /// The recipe end to end: a local organisation over loopback HTTP, one process against three
    /// shards (`--shard auto` with JOB_COMPLETION_INDEX) merged, the reports equal.
    @Test func localSimulationMergesShardsToTheOneProcessReport() throws {
        let tmp = TempDirectory()
        let result = try Run.process("/usr/bin/timeout", ["-s", "KILL", "300", "/bin/bash", "\(Self.root)/deploy/local-simulation.sh", "3", "8", "5,20"],
                                     environment: ProcessInfo.processInfo.environment.merging(
                                        ["KEYSWEEP": Keysweep.binary, "TMPDIR": tmp.path, "XDG_STATE_HOME": Keysweep.stateHome]) { _, new in new })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("merged report equals the one process's: "), "\(result.stdout)")
        #expect(result.stdout.contains("shard 2/3"))
        #expect(!result.stdout.contains(": 0 findings"))
    }
}

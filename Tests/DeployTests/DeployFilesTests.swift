import Foundation
import TestSupport
import Testing

/// deploy/ is checked offline on every CI run: the Kubernetes manifests against the API schemas
/// (kubernetes-validate, strict), the Containerfile with hadolint, the systemd units with `systemd-analyze verify`,
/// the Slurm script with `bash -n`. The tools come from scripts/setup.sh (.venv and Debian's packages).
@Suite struct DeployFilesTests {
    static let deploy = PythonInterop.repositoryRoot.appendingPathComponent("deploy")

    static func run(_ executable: String, _ arguments: [String]) async throws -> CommandRun {
        try await CommandRun.run(URL(fileURLWithPath: executable), arguments, includeStandardError: true)
    }

    /// A tool from the repository's .venv (scripts/setup.sh installs it); a missing one is a failure that says so.
    static func venvTool(_ name: String) throws -> String {
        let path = PythonInterop.repositoryRoot.appendingPathComponent(".venv/bin/\(name)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ToolMissing(tool: name, fix: "run scripts/setup.sh, which installs it into .venv")
        }
        return path
    }

    struct ToolMissing: Error, CustomStringConvertible {
        let tool: String
        let fix: String
        var description: String { "\(tool) is not installed: \(fix)" }
    }

    @Test func everyKubernetesManifestPassesStrictSchemaValidation() async throws {
        let directory = Self.deploy.appendingPathComponent("k8s")
        let manifests = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" }.sorted()
        #expect(manifests == ["configmap.yaml", "coordinator.yaml", "learner.yaml", "secret.yaml", "verifier.yaml", "workers.yaml"])
        let tool = try Self.venvTool("kubernetes-validate")
        let result = try await Self.run(tool, ["--strict"] + manifests.map { directory.appendingPathComponent($0).path })
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("ERROR") && !result.output.contains("FAIL"), "\(result.output)")
        // kustomization.yaml lists exactly these resources.
        let kustomization = try String(contentsOf: directory.appendingPathComponent("kustomization.yaml"), encoding: .utf8)
        for manifest in manifests { #expect(kustomization.contains("- \(manifest)")) }
    }

    @Test func theContainerfilePassesHadolint() async throws {
        let tool = try Self.venvTool("hadolint")
        let file = Self.deploy.appendingPathComponent("container/Containerfile").path
        let result = try await Self.run(tool, [file])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func theSystemdUnitsVerify() async throws {
        let analyze = "/usr/bin/systemd-analyze"
        guard FileManager.default.isExecutableFile(atPath: analyze) else {
            throw ToolMissing(tool: "systemd-analyze", fix: "run scripts/setup.sh, which installs Debian's systemd package")
        }
        // The units name /usr/local/bin/grpo-lambda; verify them against the binary this build made.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let binary = try BuiltProduct.path("grpo-lambda").path
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.deploy.appendingPathComponent("systemd").path)
            .filter { $0.hasSuffix(".service") }.sorted()
        #expect(units == ["grpo-coordinator.service", "grpo-learner.service", "grpo-verifier.service", "grpo-worker@.service"])
        var paths: [String] = []
        for unit in units {
            let text = try String(contentsOf: Self.deploy.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/grpo-lambda", with: binary)
            let name = unit.replacingOccurrences(of: "@.service", with: "@1.service")
            try text.write(to: scratch.appendingPathComponent(name), atomically: true, encoding: .utf8)
            if unit.contains("@") { try text.write(to: scratch.appendingPathComponent(unit), atomically: true, encoding: .utf8) }
            paths.append(scratch.appendingPathComponent(name).path)
        }
        let arguments = ["verify", "--man=no"] + paths
        let result = try await Self.run(analyze, arguments)
        // systemd-analyze reports a bad directive ("ignoring: ...") and still exits 0: any output is a finding.
        #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
        let env = try String(contentsOf: Self.deploy.appendingPathComponent("systemd/grpo-lambda.env"), encoding: .utf8)
        for variable in ["COORDINATOR_HOST", "GRPO_CONFIG", "GRPO_RUN_DIR", "GRPO_SECRET_FILE", "GRPO_INITIAL_WEIGHTS"] {
            #expect(env.contains("\(variable)="))
        }
    }

    @Test func theSlurmScriptParses() async throws {
        let script = Self.deploy.appendingPathComponent("slurm/grpo-lambda.sbatch").path
        let result = try await Self.run("/bin/bash", ["-n", script])
        #expect(result.status == 0, "\(result.output)")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        #expect(text.contains("#SBATCH --nodes=") && text.contains("scontrol show hostnames"))
    }
}

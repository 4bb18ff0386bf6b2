import ArgumentParser
import Foundation
import Policy
import Protocol

/// `grpo-lambda machine`: what this machine's CPU offers and which kernels the engine runs on it.
struct MachineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Print the CPU, its vector features, and the matrix-product, decode and CRC32C kernels chosen for it, as JSON.",
        discussion: """
            OpenBLAS's core is chosen when any grpo-lambda command starts: the best one the CPU supports when \
            OpenBLAS picked a weaker one, unless OPENBLAS_CORETYPE is set (kept as given). GRPO_LAMBDA_BLAS_CORE \
            overrides the choice: a core name, or `library` for OpenBLAS's own pick.
            """)

    func run() throws {
        var machine = MachineDescription.json()
        for (key, value) in CRC32C.machineReport { machine[key] = value }
        try printJSON(machine)
    }
}

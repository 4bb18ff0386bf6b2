import Logging
import ServiceLifecycle

extension ServiceGroup {
    /// Runs one service until it returns or SIGTERM/SIGINT asks it to stop gracefully. A service that returns
    /// by itself (a learner that reached its steps) ends the process normally.
    static func runUntilDone(_ service: some Service, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

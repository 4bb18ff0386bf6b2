import Primitives

/// Threads of their own for the services a test runs in its process (a coordinator, a learner, a request server).
///
/// Swift Testing runs test bodies in parallel on the cooperative pool, which has one thread per core: on a 2-core
/// CI runner two bodies blocked on a child process or a large fixture starve every other task for seconds, and a
/// service started with a plain `Task` then misses its clients' timeouts (seen as "send: Timed out" in several
/// suites at once). A service in its own process never shares its pool with test bodies; these threads give the
/// in-process ones the same footing.
public enum ServiceThreads {
    public static let pool = ThreadPool(threads: 4, name: "test-service")

    /// Starts `body` (typically `service.run()`) as a task whose async code runs on the service threads.
    @discardableResult
    public static func start<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        Task(executorPreference: pool) { try await body() }
    }
}

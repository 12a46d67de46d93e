/// Something a test starts and must stop before it ends: a sandbox, a run bench.
package protocol TestResource: Sendable {
    func release() async
}

/// Runs `body`, then releases `resource` whether `body` returned or threw, and waits for both: the scoped
/// stand-in for `defer { Task { await sandbox.shutdown() } }`, which let a test end with its sandbox still
/// running.
package func withCleanup(_ resource: some TestResource, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await resource.release()
        throw error
    }
    await resource.release()
}

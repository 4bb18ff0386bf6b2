import Testing
@testable import Policy

/// The engine's fork-join team: every worker of every region runs exactly once and its writes are visible to the
/// caller when `run` returns, whether the helpers were still spinning or had parked; a busy team refuses and
/// `Parallel` then runs the region on Dispatch's workers.
@Suite struct ForkJoinTeamTests {
    /// Runs `regions` regions of 1…helpers+1 workers; each worker counts its own runs in its own slot.
    static func countRuns(on team: ForkJoinTeam, regions: Int) -> (counts: [Int], expected: [Int]) {
        let width = team.helpers + 1
        var counts = [Int](repeating: 0, count: width), expected = counts
        counts.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            for region in 0..<regions {
                let workers = 1 + region % width
                let ran = team.run(workers: workers) { worker in base[worker] += 1 }
                precondition(ran, "an idle team refused a region")
                for worker in 0..<workers { expected[worker] += 1 }
            }
        }
        return (counts, expected)
    }

    @Test(.timeLimit(.minutes(1)))
    func spinningHelpersRunEveryWorkerOnce() {
        let (counts, expected) = Self.countRuns(on: ForkJoinTeam(helpers: 3), regions: 20_000)
        #expect(counts == expected)
    }

    /// With no spinning, every helper parks after each region and must be woken for the next: a lost wake-up
    /// would hang here (hence the time limit).
    @Test(.timeLimit(.minutes(1)))
    func parkedHelpersWakeForEveryRegion() {
        let (counts, expected) = Self.countRuns(on: ForkJoinTeam(helpers: 2, spinTime: 0), regions: 5_000)
        #expect(counts == expected)
    }

    @Test func aBusyTeamRefusesANestedRegionAndParallelStillCoversEveryItem() {
        let team = ForkJoinTeam(helpers: 1)
        var nestedRan = true
        #expect(team.run(workers: 2) { worker in
            if worker == 0 { nestedRan = team.run(workers: 1) { _ in } }
        })
        #expect(!nestedRan)
        #expect(!team.run(workers: 3) { _ in })  // more workers than helpers + caller

        // Regions inside regions of the shared team: the inner ones fall back to Dispatch.
        var hits = [Int](repeating: 0, count: 8 * 64)
        hits.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            Parallel.forEach(8, threads: 2) { outer, _ in
                Parallel.forEach(64, threads: 2) { inner, _ in base[outer * 64 + inner] += 1 }
            }
        }
        #expect(hits == [Int](repeating: 1, count: 8 * 64))
    }

    @Test func theSpinTimeComesFromTheEnvironmentInMicroseconds() {
        let variable = ForkJoinTeam.spinVariable
        #expect(ForkJoinTeam.spinTimeRequested([variable: "0"]) == 0)
        #expect(ForkJoinTeam.spinTimeRequested([variable: "250"]) == 250_000)
        #expect(ForkJoinTeam.spinTimeRequested([variable: "5000000"]) == 1_000_000_000)  // at most a second
        #expect(ForkJoinTeam.spinTimeRequested([variable: "fast"]) == nil)
        #expect(ForkJoinTeam.spinTimeRequested([:]) == nil)
    }
}

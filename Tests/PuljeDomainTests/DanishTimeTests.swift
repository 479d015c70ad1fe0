import Foundation
import Testing

@testable import PuljeDomain

@Suite struct DanishTimeTests {
    @Test func winterDeadlineIsUTCPlusOne() throws {
        let deadline = try #require(DanishTime.instant(year: 2023, month: 12, day: 7, hour: 12, minute: 0))
        #expect(deadline == Date(timeIntervalSince1970: 1_701_946_800))  // 2023-12-07T11:00:00Z
        #expect(DanishTime.dateTime(deadline) == "7. december 2023 kl. 12.00")
        // The calendar decides the weekday: 7 December 2023 was a Thursday.
        #expect(DanishTime.weekdayDateTime(deadline) == "torsdag den 7. december 2023 kl. 12.00")
    }

    @Test func summerDeadlineIsUTCPlusTwo() throws {
        let deadline = try #require(DanishTime.instant(year: 2023, month: 8, day: 15, hour: 12, minute: 0))
        #expect(deadline == Date(timeIntervalSince1970: 1_692_093_600))  // 2023-08-15T10:00:00Z
        #expect(DanishTime.dateTimeWithSeconds(deadline.addingTimeInterval(5)) == "15. august 2023 kl. 12.00.05")
    }

    @Test func theSkippedSpringHourDoesNotExist() {
        #expect(DanishTime.instant(year: 2024, month: 3, day: 31, hour: 2, minute: 30) == nil)
        #expect(DanishTime.instant(year: 2024, month: 3, day: 31, hour: 3, minute: 0) != nil)
    }

    @Test func formatsInDanishTimeWhateverTheServerZone() {
        // 23:30 UTC on 31 December is already New Year in Denmark.
        let instant = Date(timeIntervalSince1970: 1_704_065_400)  // 2023-12-31T23:30:00Z
        #expect(DanishTime.dateTime(instant) == "1. januar 2024 kl. 00.30")
    }
}

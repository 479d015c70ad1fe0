import Fluent
import Foundation
import PuljeDomain

/// A demo evaluation of the demo call in its first project year: WHO-5 at baseline, 6 and 12 months, with
/// citizens of Aarhus, Vejle and Aalborg under pseudonyms (made from invented CPR numbers, which are not
/// stored) and their answers. Vejle has fewer than five citizens, so the agency's overview suppresses it.
enum EvaluationDemo {
    static let title = "Demo: Evaluering af sundhed på botilbud"

    static func load(on db: any Database, now: Date, key: [UInt8]) async throws {
        guard try await EvaluationRecord.query(on: db).filter(\.$title == title).count() == 0,
            let call = try await CallRecord.query(on: db).filter(\.$title == GrantDemo.title).first()
        else { return }
        let callID = try call.requireID()
        let today = CalendarDate.of(now)
        let end = CalendarDate(year: today.year + 3, month: 12, day: 31) ?? today
        let id = try await EvaluationStore.createEvaluation(
            call: callID, title: title, design: EvaluationActions.startingDesign, end: end, retention: .anonymise,
            by: "Vera Evaluator", at: now, on: db)
        let baseline = today.adding(days: -200)
        let plan: [(email: String, count: Int)] = [
            ("ansoger@aarhus.demo", 7), ("ansoger@vejle.demo", 3), ("ansoger@aalborg.demo", 5),
        ]
        var serial = 0
        for (email, count) in plan {
            guard let user = try await UserRecord.query(on: db).filter(\.$email == email).first() else { continue }
            for index in 0..<count {
                serial += 1
                let digits = String(
                    format: "%02d%02d%02d%04d", 1 + serial % 28, 1 + serial % 12, 60 + serial, 1000 + serial)
                guard case .success(let number) = CPRNumber.parse(digits, today: today) else { continue }
                let pseudonym = Pseudonym.of(number, evaluation: id, installationKey: key)
                guard
                    let citizen = try await EvaluationStore.enrol(
                        pseudonym, in: id, organisation: user.$organisation.id, baseline: baseline, birthYear: nil,
                        sex: nil, consent: nil, by: user.name, at: now, on: db)
                else { continue }
                let start = [2, 2, 1, 3, 2].map { min(5, $0 + index % 2) }
                _ = try await EvaluationStore.saveEntry(
                    citizen: citizen, point: "baseline",
                    answers: ["who5": InstrumentAnswers(version: 1, values: answers(start))], fields: [:], over: nil,
                    by: user.name, at: now, on: db)
                if index < count - 1 {
                    let later = start.map { min(5, $0 + 1 + (index % 3 == 0 ? 1 : 0)) }
                    _ = try await EvaluationStore.saveEntry(
                        citizen: citizen, point: "6mdr",
                        answers: ["who5": InstrumentAnswers(version: 1, values: answers(later))],
                        fields: ["sessioner": "\(8 + index)"], over: nil, by: user.name, at: now, on: db)
                }
            }
        }
    }

    static func answers(_ values: [Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: values.enumerated().map { (String($0.offset + 1), $0.element) })
    }
}

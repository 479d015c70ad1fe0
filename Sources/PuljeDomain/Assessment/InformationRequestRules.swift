import Foundation

/// A request for more information during assessment, and the applicant's answer to it.
public enum InformationRequestRules {
    /// An answer may be this long; the page's field says so too.
    public static let answerLimit = 10_000

    /// Why an answer (already trimmed) cannot be sent, in Danish; nil if it can.
    public static func answerProblem(_ answer: String) -> String? {
        answer.isEmpty || answer.count > answerLimit
            ? "Skriv et svar på højst \(DanishNumber.grouped(answerLimit)) tegn. Intet er gemt." : nil
    }

    /// A question may be this long.
    public static let questionLimit = 5_000

    /// What is wrong with a request as typed (the question trimmed, the reply-by date as typed), by field,
    /// in Danish; empty when it can be sent. The reply-by date must be a date whose end is still ahead.
    public static func problems(question: String, replyBy: String, at now: Date) -> [ApplicationProblem] {
        var problems: [ApplicationProblem] = []
        if question.isEmpty { problems.append(.init("question", "Skriv, hvilke oplysninger I beder om.")) }
        if question.count > questionLimit {
            problems.append(.init("question", "Spørgsmålet må højst være \(DanishNumber.grouped(questionLimit)) tegn."))
        }
        let end = CalendarDate(parsing: replyBy).flatMap {
            DanishTime.instant(year: $0.year, month: $0.month, day: $0.day, hour: 23, minute: 59)
        }
        if end.map({ $0 > now }) != true {
            problems.append(.init("replyBy", "Svarfristen skal være en dato efter i dag, fx 15.12.2026."))
        }
        return problems
    }
}

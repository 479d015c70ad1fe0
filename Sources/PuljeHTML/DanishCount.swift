/// A number of things as Danish writes it: "1 ansøgning", "2 ansøgninger", "12.345 ansøgninger".
public func danishCount(_ count: Int, _ one: String, _ many: String) -> String {
    let digits = String(count.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
        grouped.append(digit)
    }
    return (count < 0 ? "-" : "") + grouped + " " + (count == 1 ? one : many)
}

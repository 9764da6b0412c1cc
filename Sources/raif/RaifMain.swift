@main enum RaifMain { static func main() {} }

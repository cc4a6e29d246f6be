import Foundation

// `mislink`: the command line. Thin: parses, calls the modules, prints.
let status = MISLinkCommand.main(Array(CommandLine.arguments.dropFirst()))
exit(status)

import MISLinkKit

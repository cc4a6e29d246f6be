/// One page of a Wonde list: `{"data": [...], "meta": {"pagination": {"next": …, "more": …, "per_page": "50"}}}`.
///
/// With everything on one page Wonde leaves the pagination object out. `next` is an opaque absolute
/// URL (a `page=` or a `cursor=` link): it is followed as given, never rebuilt.
struct WondePage<Item: Decodable & Sendable>: Decodable, Sendable {
    let data: [Item]
    let pagination: Pagination?

    struct Pagination: Decodable, Sendable {
        let next: String?
        let more: Bool?
        /// "50" in Wonde's own example, 50 elsewhere: both read.
        let perPage: Int?
        let currentPage: Int?

        private enum CodingKeys: String, CodingKey {
            case next, more
            case perPage = "per_page"
            case currentPage = "current_page"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            next = try c.nonEmptyText(.next)
            more = try c.flag(.more)
            perPage = try c.number(.perPage)
            currentPage = try c.number(.currentPage)
        }
    }

    private enum CodingKeys: String, CodingKey { case data, meta }
    private enum MetaKeys: String, CodingKey { case pagination }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode([Item].self, forKey: .data)
        if c.contains(.meta), try !c.decodeNil(forKey: .meta) {
            let meta = try c.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
            pagination = try meta.decodeIfPresent(Pagination.self, forKey: .pagination)
        } else {
            pagination = nil
        }
    }

    /// The link to the next page, or nil when this is the last one (`next` null or `more` false).
    var nextLink: String? {
        guard let pagination, pagination.more != false else { return nil }
        return pagination.next
    }

    /// Says more pages follow but gives no way to reach them: the walk cannot be completed.
    var promisesMoreWithoutLink: Bool { pagination?.more == true && pagination?.next == nil }
}

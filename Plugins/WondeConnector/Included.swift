/// An include as Wonde wraps it: `{"data": …}`, an object for one-to-one, an array for one-to-many.
/// Null (or missing) when the include was not asked for, or the school has not granted its scope.
struct Included<Value: Decodable & Sendable>: Decodable, Sendable {
    let data: Value?
}

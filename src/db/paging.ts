// Keyset paging, the one way every list is paged: a list reads `limit + 1` rows in its key's
// order after the cursor; the extra row only says whether there is a next page, whose cursor
// is the key of the last row returned.

export interface Page<J> {
  data: J[];
  next_cursor: string | null;
}

/** The page of `rows` (read with LIMIT limit + 1): at most `limit` of them, as JSON. */
export function keysetPage<R, J>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => string,
  json: (row: R) => J,
): Page<J> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(json),
    next_cursor: rows.length > limit && last !== undefined ? keyOf(last) : null,
  };
}

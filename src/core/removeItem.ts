/**
 * Removes the element at `index` of `list` in place, keeping the others in order (what
 * `list.splice(index, 1)` does, without building the array of removed elements: the order paths
 * remove an element of a short list per event). An index outside the list changes nothing.
 */
export function removeAt<T>(list: T[], index: number): void {
  const last = list.length - 1;
  if (index < 0 || index > last) return;
  // The shorter side moves: books are first in, first out, so most removals are near the front,
  // where shift() (which V8 mostly does by moving the array's start) beats moving every later element.
  if (index < last - index) {
    for (let i = index; i > 0; i--) list[i] = list[i - 1]!;
    list.shift();
    return;
  }
  for (let i = index; i < last; i++) list[i] = list[i + 1]!;
  // pop, not a length store (which calls into the runtime).
  list.pop();
}

/** Removes the first `item` of `list` in place (see removeAt); nothing when it is not there. */
export function removeItem<T>(list: T[], item: T): void {
  removeAt(list, list.indexOf(item));
}

// Array insertion (AssemblyScript's splice only removes): used by the sorted queues here.

export function insertAt<T>(arr: Array<T>, i: i32, v: T): void {
  const n = arr.length;
  arr.push(v);
  for (let k = n; k > i; k--) arr[k] = arr[k - 1];
  arr[i] = v;
}

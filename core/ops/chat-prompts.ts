/**
 * The chat workload: short questions of the kind developers ask a coding assistant, shipped
 * with the repository so a load test never downloads a data set. Varied lengths, so the
 * prompt side of the KV cache is exercised too.
 */
export const CHAT_PROMPTS: readonly string[] = [
  "Explain what a closure is in JavaScript, with a short example.",
  "Write a TypeScript function that debounces another function.",
  "What is the difference between a process and a thread?",
  "Refactor this loop into a map/filter chain:\n\nconst out = [];\nfor (const x of items) {\n  if (x.enabled) out.push(x.name.toUpperCase());\n}",
  "Why does this Python code print the same number three times?\n\nfns = [lambda: i for i in range(3)]\nprint([f() for f in fns])",
  "Write a SQL query that returns the ten customers with the highest total order value.",
  "How do I make an HTTP request with a timeout in Go?",
  "Review this function for bugs:\n\nfunction average(xs) {\n  let sum = 0;\n  for (let i = 0; i <= xs.length; i++) sum += xs[i];\n  return sum / xs.length;\n}",
  "Explain Big-O notation of binary search and why it is logarithmic.",
  "Write a Bash one-liner that counts lines of TypeScript code in a repository, excluding node_modules.",
  "What does `git rebase --onto` do? Give an example.",
  "Convert this callback code to async/await:\n\nfs.readFile(path, (err, data) => {\n  if (err) return cb(err);\n  cb(null, JSON.parse(data));\n});",
  "Write unit tests with Jest for a function `slugify(title: string): string`.",
  "What is a race condition? Show one in Java and fix it.",
  "Suggest a clear name for a function that returns the users whose subscription expires this month.",
  "Write a Rust function that reverses the words of a sentence.",
];

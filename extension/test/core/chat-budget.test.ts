import {
  buildChatMessages,
  buildEditFollowUpMessages,
  buildEditMessages,
  chatBudget,
  editBudget,
  estimateTokens,
  messagesTokens,
} from "../../src/core";

describe("budgets from maxModelLen", () => {
  test("a chat answer gets a quarter of the context, at most 4,096 tokens", () => {
    expect(chatBudget(8192)).toEqual({ maxOutputTokens: 2048, maxInputTokens: 6144 });
    expect(chatBudget(131072)).toEqual({ maxOutputTokens: 4096, maxInputTokens: 126976 });
  });
  test("an edit's answer has room for the selection twice over, within half the context", () => {
    const selection = "x".repeat(3000); // 1,000 tokens
    expect(editBudget(32768, selection)).toEqual({ maxOutputTokens: 2256, maxInputTokens: 30512 });
    expect(editBudget(2048, selection).maxOutputTokens).toBe(1024);
  });
});

describe("chat prompt within the budget, trimmed in the stated order", () => {
  const ref = (path: string, chars: number) => ({ path, languageId: "typescript", text: `${"y".repeat(chars - 1)}\n` });
  test("everything fits: nothing is cut", () => {
    const messages = buildChatMessages({
      prompt: "q",
      references: [ref("a.ts", 300)],
      history: [{ role: "user", content: "h" }],
      maxInputTokens: 8192,
    });
    expect(messages).toHaveLength(3);
    expect(messages[2].content).toContain("y".repeat(299));
  });
  test("a long reference is cut to its head, later references are dropped, then there is no room for history", () => {
    const messages = buildChatMessages({
      prompt: "question",
      references: [ref("first.ts", 30_000), ref("second.ts", 300)],
      history: [{ role: "user", content: "old turn" }],
      maxInputTokens: 2_000,
    });
    expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(messages[1].content).toContain("first.ts");
    expect(messages[1].content).not.toContain("second.ts");
    expect(messages[1].content).toMatch(/question$/);
    expect(messagesTokens(messages)).toBeLessThanOrEqual(2_000);
  });
  test("the prompt fits the budget for any model length", () => {
    for (const maxModelLen of [1024, 4096, 32768]) {
      const budget = chatBudget(maxModelLen);
      const messages = buildChatMessages({
        prompt: "p".repeat(500),
        references: [ref("a.ts", 50_000)],
        history: Array.from({ length: 20 }, (_, i) => ({
          role: i % 2 ? ("assistant" as const) : ("user" as const),
          content: "h".repeat(2_000),
        })),
        maxInputTokens: budget.maxInputTokens,
      });
      expect(messagesTokens(messages)).toBeLessThanOrEqual(budget.maxInputTokens);
    }
  });
});

describe("edit prompts within the budget", () => {
  test("the code around the selection shrinks to fit; the selection and instruction always go", () => {
    const before = "b\n".repeat(20_000);
    const after = "a\n".repeat(20_000);
    const request = { instruction: "rename", selection: "const x = 1;\n", languageId: "typescript", before, after };
    const small = buildEditMessages({ ...request, maxInputTokens: 1_000 });
    expect(messagesTokens(small)).toBeLessThanOrEqual(1_000);
    expect(small[1].content).toContain("const x = 1;");
    expect(small[1].content).toContain("Instruction: rename");
    const large = buildEditMessages({ ...request, maxInputTokens: 30_000 });
    expect(estimateTokens(large[1].content)).toBeGreaterThan(estimateTokens(small[1].content) * 5);
  });
  test("a follow-up carries the proposal as the assistant's answer and asks for the whole replacement again", () => {
    const first = buildEditMessages({ instruction: "rename", selection: "const x = 1;\n", languageId: "typescript" });
    const follow = buildEditFollowUpMessages(first, "const y = 1;\n", "use let", "typescript");
    expect(follow.slice(0, 2)).toEqual(first);
    expect(follow[2]).toEqual({ role: "assistant", content: "```typescript\nconst y = 1;\n\n```" });
    expect(follow[3].role).toBe("user");
    expect(follow[3].content).toMatch(/^Refine your proposal: use let\n/);
  });
});

// A practice file from a newer Punchcard is refused, clearly, and untouched.
import fs from "node:fs";
import { waitForText } from "../helpers.mjs";

describe("a file from a newer version", () => {
  it("is refused with a clear message and left untouched", async () => {
    const before = fs.readFileSync(process.env.PUNCHCARD_E2E_DB);
    await waitForText("h1", "This practice file can't be opened");
    expect(await (await $("main[role=alert]")).getText()).toContain("newer version of Punchcard");
    expect(fs.readFileSync(process.env.PUNCHCARD_E2E_DB).equals(before)).toBe(true);
  });
});

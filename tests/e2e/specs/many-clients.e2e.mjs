// A practice of more than a thousand clients (generated): a search of one
// or two letters lists its first 1,000 matches, and says so.
import path from "node:path";
import { artifacts } from "../wdio.conf.mjs";
import { area, fill, screenshot, waitForText } from "../helpers.mjs";

describe("a practice of over a thousand clients", () => {
  it("says when a short search lists only its first 1,000 matches", async () => {
    await area("Clients");
    await fill("Search clients", "a");
    await waitForText('[role="status"]', "The first 1,000 matches. Type more to narrow the search.");
    await screenshot(path.join(artifacts, "first-1000-matches.png"));
    await fill("Search clients", "ana");
    await browser.waitUntil(async () => !(await $('[role="status"]*=The first 1,000').isExisting()), {
      timeout: 10_000,
      timeoutMsg: "the notice stayed for a search the list shows whole",
    });
    await expect($('[role="listbox"][aria-label="Client list"] [role="option"]')).toBeExisting();
  });
});

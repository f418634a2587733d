// Focus as a keyboard user expects: a sheet opened by its shortcut or its
// button starts on its first field, not on the close button; closing it
// gives focus back to what opened it; going to another area and back keeps
// the open client and the search.
import { area, click, clientRow, fill, startPractice, addClient, waitForText } from "../helpers.mjs";

const focused = () => browser.execute(() => {
  const el = document.activeElement;
  return { tag: el?.tagName.toLowerCase(), id: el?.id ?? "", label: el?.getAttribute("aria-label") ?? "", text: (el?.textContent ?? "").trim() };
});

async function sheetTitle() {
  const h = await $("dialog[open] h2");
  await h.waitForDisplayed();
  return h.getText();
}

describe("focus", () => {
  it("starts each sheet on its first field and gives focus back on closing", async () => {
    await startPractice();
    await addClient("Ana Souza");
    await addClient("Bruno Lima");

    // N: a new client, the name field first.
    await browser.keys("n");
    expect(await sheetTitle()).toBe("New client");
    expect((await focused()).id).toBe("client-name");
    await browser.keys("Escape");
    await browser.waitUntil(async () => !(await $("dialog[open]").isExisting()));

    // L and S on the open record, each on its first field.
    for (const [key, title, first] of [["l", "Log a session for Bruno Lima", null], ["s", "Sell a package to Bruno Lima", "sale-offering"]]) {
      await browser.keys(key);
      expect(await sheetTitle()).toContain(title);
      const f = await focused();
      expect({ title, tag: f.tag, id: f.id }).toMatchObject({ title, tag: expect.stringMatching(/input|select/) });
      if (first) expect(f.id).toBe(first);
      await browser.keys("Escape");
      await browser.waitUntil(async () => !(await $("dialog[open]").isExisting()));
    }

    // Edit, from its button: focus comes back to the button.
    await click("Edit client details");
    expect(await sheetTitle()).toBe("Edit client");
    expect((await focused()).id).toBe("client-name");
    await browser.keys("Escape");
    await browser.waitUntil(async () => (await focused()).label === "Edit client details", {
      timeoutMsg: "focus did not come back to Edit",
    });
  });

  it("keeps the open client and the search across areas", async () => {
    await fill("Search clients", "ana");
    await (await clientRow("Ana Souza")).click();
    await waitForText("article h1", "Ana Souza");
    await area("Offerings");
    await waitForText("h1", "Offerings");
    await area("Settings");
    await area("Clients");
    await waitForText("article h1", "Ana Souza");
    expect(await (await $('[aria-label="Search clients"], #client-search')).getValue()).toBe("ana");
  });
});

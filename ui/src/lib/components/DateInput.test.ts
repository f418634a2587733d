// The date field: typed, or picked on its calendar from the keyboard.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import DateField from "./DateField.test.svelte";

afterEach(cleanup);

describe("DateInput", () => {
  it("accepts typing, reads the day back in the locale, and picks on the calendar", async () => {
    render(DateField, { value: "2026-12-30" });
    const field = screen.getByLabelText("Sale date") as HTMLInputElement;
    expect(field.value).toBe("2026-12-30");
    expect(screen.getByText(/30 Dec 2026|Dec 30, 2026/)).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Pick the date on a calendar" }));
    const grid = await screen.findByRole("grid");
    expect(screen.getAllByText(/December 2026/).length).toBeGreaterThan(0);
    const chosen = grid.querySelector("[data-selected]") as HTMLElement;
    expect(chosen.textContent?.trim()).toBe("30");
    // The days are buttons named as a screen reader says them.
    await fireEvent.click(screen.getByRole("button", { name: "Thursday, December 31, 2026" }));
    await waitFor(() => expect(field.value).toBe("2026-12-31"));
    await waitFor(() => expect(screen.queryByRole("grid")).toBeNull());
  });

  it("opens on today's month when nothing is typed", async () => {
    render(DateField, { value: "" });
    await fireEvent.click(screen.getByRole("button", { name: "Pick the date on a calendar" }));
    const grid = await screen.findByRole("grid");
    expect(grid.querySelector("[data-today]")).toBeTruthy();
  });
});

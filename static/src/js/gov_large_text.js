/** @odoo-module **/
// Large-text switch of the public website: the buttons
// .o_gov_large_text_toggle put the class o_gov_large_text on <html>; the
// choice is kept in localStorage for the next pages.
const STORAGE_KEY = "gov_service_center.large_text";
const CLASS_NAME = "o_gov_large_text";

function readChoice() {
    try {
        return window.localStorage.getItem(STORAGE_KEY) === "1";
    } catch {
        return false; // storage disabled: the switch still works on this page
    }
}

function writeChoice(enabled) {
    try {
        window.localStorage.setItem(STORAGE_KEY, enabled ? "1" : "0");
    } catch {
        // storage disabled
    }
}

function apply(enabled) {
    document.documentElement.classList.toggle(CLASS_NAME, enabled);
    for (const button of document.querySelectorAll(".o_gov_large_text_toggle")) {
        button.setAttribute("aria-pressed", enabled ? "true" : "false");
    }
}

apply(readChoice());

document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".o_gov_large_text_toggle");
    if (!button) {
        return;
    }
    const enabled = !document.documentElement.classList.contains(CLASS_NAME);
    writeChoice(enabled);
    apply(enabled);
});

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => apply(readChoice()));
}

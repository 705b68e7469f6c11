// A page object for the demo page and its chat panel.
export class ChatPanel {
  constructor(page, name) {
    this.page = page;
    this.name = name;
    this.panel = page.locator(".mc-panel");
    this.input = page.locator(".mc-input");
  }

  static async join(
    browser,
    base,
    name,
    {
      role = "participant",
      colorScheme = "light",
      meeting = "e2e",
      viewport = { width: 1000, height: 720 },
      lang = "en",
      // Runs before the page loads (to route its requests, say).
      prepare = async () => {},
    } = {},
  ) {
    const context = await browser.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    await prepare(page);
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(base);
    const panel = new ChatPanel(page, name);
    panel.errors = errors;
    panel.joined = { meeting, role, lang };
    await panel.fillJoinForm();
    return panel;
  }

  async fillJoinForm() {
    const { meeting, role, lang } = this.joined;
    await this.page.fill("input[name=name]", this.name);
    await this.page.fill("input[name=meeting]", meeting);
    await this.page.selectOption("select[name=role]", role);
    await this.page.selectOption("select[name=lang]", lang);
    await this.page.click("#join button");
    await this.input.waitFor();
  }

  /** Reloads the page and joins again as before: what the panel shows then comes from the server. */
  async rejoin() {
    await this.page.reload();
    await this.fillJoinForm();
  }

  async send(text) {
    await this.input.fill(text);
    await this.input.press("Enter");
  }

  message(text) {
    return this.page.locator(".mc-message", { hasText: text });
  }

  async waitFor(text) {
    await this.message(text).first().waitFor();
  }

  async action(text, item) {
    await this.message(text).locator(".mc-menu-button").click();
    await this.page.getByRole("menuitem", { name: item, exact: true }).click();
  }

  /** Picks files into the composer's tray and sends them (with `text`, if any) as one message. */
  async attach(...paths) {
    await this.page.setInputFiles(".mc-composer input[type=file]", paths);
    await this.page.locator(".mc-tray-file").nth(paths.length - 1).waitFor();
    await this.page.click(".mc-send");
  }

  /** Shows the conversation whose name starts with `label` (its unread count may follow). */
  async chatWith(label) {
    const option = this.page.locator(".mc-conversation option").filter({ hasText: label }).first();
    await this.page.selectOption(".mc-conversation select", await option.getAttribute("value"));
  }

  texts() {
    return this.page.locator(".mc-message .mc-text").allInnerTexts();
  }

  banner() {
    return this.page.locator(".mc-banners");
  }

  /** Runs axe-core over the panel; returns its violations. */
  async accessibilityViolations() {
    await this.page.addScriptTag({ path: new URL("../node_modules/axe-core/axe.min.js", import.meta.url).pathname });
    return this.page.evaluate(async () => {
      const results = await globalThis.axe.run(document.querySelector(".mc-panel"));
      return results.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
    });
  }

  /** What sticks out of the viewport sideways: the page's and the panel's right edges past it, in px. */
  async overflow() {
    return this.page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const panel = document.querySelector(".mc-panel").getBoundingClientRect();
      const header = document.querySelector(".mc-header").getBoundingClientRect();
      return {
        page: document.documentElement.scrollWidth - width,
        panel: Math.max(0, panel.right - width, -panel.left),
        header: Math.max(0, header.right - panel.right),
        bottom: Math.max(0, panel.bottom - document.documentElement.clientHeight),
      };
    });
  }

  async screenshot(path) {
    await this.page.waitForTimeout(200);
    await this.page.screenshot({ path });
  }
}

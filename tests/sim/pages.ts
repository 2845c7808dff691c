/**
 * Every renderer the simulator serves, in one place: search page and API body (`search_page.ts`),
 * detail and building pages (`detail_page.ts`), 404 / 429 / block pages (`error_pages.ts`) and the
 * shared page frame (`html_shell.ts`).
 * @module
 */
export { type BlockIds, BUILD_ID, DEFAULT_ORIGIN, PX_APP_ID } from "./html_shell.ts";
export {
  type ApiRequestInfo,
  queryStateFor,
  renderSearchApi,
  renderSearchPage,
  type SearchPageInput,
  searchPageUrl,
  SSR_CARDS,
} from "./search_page.ts";
export { gdpClientCache, renderBuildingPage, renderDetailPage } from "./detail_page.ts";
export { renderBlockJson, renderBlockPage, renderNotFoundPage, renderRateLimitPage } from "./error_pages.ts";

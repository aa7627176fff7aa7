export { passwordLoginPage, ssoLoginPage } from "./pages.ts";
export { newPkce, newState, type PkcePair } from "./pkce.ts";
export { type SsoOptions, type SsoSession, ssoClientOptions, ssoRoutes } from "./routes.ts";

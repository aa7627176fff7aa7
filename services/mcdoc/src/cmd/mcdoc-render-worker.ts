// The markdown render worker (mcdsl's worker body) with MCDoc's link rewriter: each request's
// context names the repository, the page and the tree, and links are rewritten to site URLs.
import { runRenderWorker } from "@metacircular/mcdsl/markdown";
import { type LinkContext, linkTarget, resolveLink } from "../site/links.ts";

runRenderWorker((context) => {
  const t = linkTarget(context as LinkContext);
  return (url) => resolveLink(t, url).url;
});

// The markdown render worker's entry in the deployable bundle (dist/mcq-render-worker.mjs); from
// source the renderer starts mcdsl's own worker file.
import { runRenderWorker } from "@metacircular/mcdsl/markdown";

runRenderWorker();

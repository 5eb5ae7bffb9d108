/** `/receipt-links`: a digital receipt's link into the chat, with the purchase's context. */
import { Router } from 'express';
import { apiRoute, parseBody, type RouteEnv } from '../api-route.js';
import { CreateReceiptLinkBody, type ReceiptLinkBody } from '../schemas/receipt-links.js';

export function receiptLinkRoutes(
  { deps, useCases }: RouteEnv,
  publicUrl: string | undefined,
): Router {
  const router = Router();
  router.post(
    '/receipt-links',
    apiRoute(deps, async (req, res, { deps, ctx }) => {
      const link = await useCases.createReceiptLink(
        deps,
        ctx,
        parseBody(CreateReceiptLinkBody, req),
      );
      const webPath = `/chat?receipt=${encodeURIComponent(link.webToken)}`;
      const body: ReceiptLinkBody = {
        code: link.code,
        expires_at: link.expiresAt.toISOString(),
        web_path: webPath,
        web_url: publicUrl ? `${publicUrl}${webPath}` : null,
        telegram_start_payload: link.telegramStartPayload,
        whatsapp_text: link.whatsappText,
      };
      res.status(201).json(body);
    }),
  );
  return router;
}
